import { Message } from 'node-hl7-client';
import { adapterError, type AdapterError } from '../core/errors.js';

/** The MSH fields the adapter acts on: routing of the ACK, the local id, what the event is. */
export interface Hl7Header {
  sendingApplication: string;
  sendingFacility: string;
  /** MSH-4.2, which some PAS systems fill with the facility's name. */
  sendingFacilityName: string;
  receivingApplication: string;
  receivingFacility: string;
  messageType: string;
  triggerEvent: string;
  controlId: string;
  processingId: string;
  version: string;
}

export type Hl7Read =
  | { ok: true; message: Message; header: Hl7Header }
  | { ok: false; error: AdapterError };

/**
 * Decodes and parses one HL7 v2 message with node-hl7-client, which handles the delimiters
 * declared in MSH-2, repetitions and escape sequences. Any failure is HL7_UNREADABLE.
 */
export function readHl7(input: Buffer | string): Hl7Read {
  const text = normalise(typeof input === 'string' ? input : decode(input));
  if (!/^MSH[^A-Za-z0-9\s]/.test(text)) return unreadable('the message does not start with an MSH segment');
  let message: Message;
  let header: Hl7Header;
  try {
    message = new Message({ text });
    // The parser splits segments lazily: reading MSH is what finds a malformed one.
    header = readHeader(message);
  } catch {
    return unreadable('the message could not be parsed as HL7 v2 (one message, segments on separate lines)');
  }
  if (!header.messageType) return unreadable('MSH-9: no message type');
  if (!header.controlId) return { ok: false, error: adapterError('HL7_MISSING_FIELD', 'MSH-10: no message control id') };
  return { ok: true, message, header };
}

/** A field, component or subcomponent by HL7 path ("PID.5.1"), unescaped and trimmed; '' when absent. */
export function value(message: Message, path: string): string {
  return message.get(path).toString().trim();
}

function readHeader(message: Message): Hl7Header {
  const at = (path: string) => value(message, path);
  return {
    sendingApplication: at('MSH.3.1'),
    sendingFacility: at('MSH.4.1'),
    sendingFacilityName: at('MSH.4.2'),
    receivingApplication: at('MSH.5.1'),
    receivingFacility: at('MSH.6.1'),
    messageType: at('MSH.9.1'),
    triggerEvent: at('MSH.9.2'),
    controlId: at('MSH.10'),
    processingId: at('MSH.11.1'),
    version: at('MSH.12.1'),
  };
}

/**
 * Files and some interfaces end segments with LF or CRLF rather than the standard CR, and
 * blank lines trip the parser: segments are put one per CR, blank ones dropped (and a
 * byte order mark from an editor with them).
 */
function normalise(text: string): string {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').join('\r');
}

/**
 * MSH-18 names the character set; UK PAS feeds often send 8859/1 rather than UTF-8, and a
 * name decoded with the wrong one is silently wrong. MSH is ASCII, so it is read as latin1
 * before the set is known.
 */
function decode(bytes: Buffer): string {
  const end = bytes.findIndex((byte) => byte === 0x0d || byte === 0x0a);
  const head = bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1');
  const charset = head.split(head.charAt(3))[17]?.trim().toUpperCase() ?? '';
  return bytes.toString(charset.startsWith('8859/1') ? 'latin1' : 'utf8');
}

function unreadable(message: string): Hl7Read {
  return { ok: false, error: adapterError('HL7_UNREADABLE', message) };
}
