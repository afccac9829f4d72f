import type { Hl7Header } from './hl7-message.js';

const UNSAFE = /[^A-Za-z0-9._-]/g;

/**
 * The MESH local id of an HL7 message: its sender and control id, which a PAS keeps when it
 * resends, so the hub answers a resend with the first message id. Only plain characters,
 * since local ids travel in logs and file names.
 */
export function hl7LocalId(header: Hl7Header): string {
  return ['hl7', header.sendingApplication, header.sendingFacility, header.controlId]
    .map((part) => part.replace(UNSAFE, '_'))
    .join('-');
}
