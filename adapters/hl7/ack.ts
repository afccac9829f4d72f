import { randomBytes } from 'node:crypto';
import { Message } from 'node-hl7-client';
import type { AdapterError, AdapterErrorCode } from '../core/errors.js';
import type { Hl7Header } from './hl7-message.js';

/** AA accepted (sent to the hub, or not an attendance), AE try again later, AR do not resend as it is. */
export type AckCode = 'AA' | 'AE' | 'AR';

export interface AckInput {
  code: AckCode;
  /** The message answered; absent when it could not be read, leaving MSA-2 empty. */
  header?: Hl7Header;
  /** Why, for AE and AR: MSA-3 and ERR-8. Written for people; carries no patient data. */
  error?: AdapterError;
}

/** HL7 table 0357 codes for ERR-3. */
const ERROR_CODES: Partial<Record<AdapterErrorCode, [code: string, text: string]>> = {
  HL7_MISSING_FIELD: ['101', 'Required field missing'],
  HL7_UNREADABLE: ['102', 'Data type error'],
};
const INTERNAL_ERROR: [string, string] = ['207', 'Application internal error'];
const TABLE = 'HL70357';
// When the message could not be read, these stand in for what it would have said.
const OWN_APPLICATION = 'CPIS';
const DEFAULT_VERSION = '2.4';
const DEFAULT_PROCESSING_ID = 'P';

/**
 * The original-mode ACK for one message. Built with node-hl7-client, which escapes
 * separators in the error text. MSH-3/4 and MSH-5/6 are the message's swapped; MSH-7 is UTC.
 */
export function buildAck({ code, header, error }: AckInput, now = new Date()): string {
  // The seed only sets the delimiters and the CR segment ending; every value is set below.
  const ack = new Message({ text: 'MSH|^~\\&\r' });
  const set = (path: string, text: string | undefined) => { if (text) ack.set(path, text); };
  set('MSH.3', header?.receivingApplication || OWN_APPLICATION);
  set('MSH.4', header?.receivingFacility);
  set('MSH.5', header?.sendingApplication);
  set('MSH.6', header?.sendingFacility);
  set('MSH.7', hl7Now(now));
  set('MSH.9.1', 'ACK');
  set('MSH.9.2', header?.triggerEvent);
  set('MSH.9.3', 'ACK');
  set('MSH.10', randomBytes(8).toString('hex'));
  set('MSH.11', header?.processingId || DEFAULT_PROCESSING_ID);
  set('MSH.12', header?.version || DEFAULT_VERSION);
  ack.addSegment('MSA');
  set('MSA.1', code);
  set('MSA.2', header?.controlId);
  set('MSA.3', error?.message);
  if (error) addErr(ack, error);
  return ack.toString();
}

/** ERR as in v2.5 (code in ERR-3, severity ERR-4, text ERR-8); earlier versions read MSA-3. */
function addErr(ack: Message, error: AdapterError): void {
  const [number, text] = ERROR_CODES[error.code] ?? INTERNAL_ERROR;
  ack.addSegment('ERR');
  ack.set('ERR.3.1', number);
  ack.set('ERR.3.2', text);
  ack.set('ERR.3.3', TABLE);
  ack.set('ERR.4', 'E');
  ack.set('ERR.8', error.message);
}

function hl7Now(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace(/[-T:]/g, '')}+0000`;
}
