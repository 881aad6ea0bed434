/**
 * Certificate serial numbers: 16 bytes from the injected Random, with the top bit cleared and the next bit set.
 * Clearing bit 127 keeps the DER INTEGER positive without a 0x00 prefix; setting bit 126 keeps it exactly 16 bytes
 * (a leading 0x00 byte would be dropped by minimal DER encoding). 126 random bits remain, well above the 64 that
 * CA/Browser Forum rules ask for, and the hex form is always 32 lowercase digits (CertificateRecord.serialNumber).
 */
import type { Random } from '../../ports.js';

export const SERIAL_BYTES = 16;

export function randomSerialNumber(random: Random): string {
  const bytes = random.bytes(SERIAL_BYTES);
  if (bytes.length !== SERIAL_BYTES) throw new RangeError('Random returned the wrong number of bytes');
  const serial = Uint8Array.from(bytes);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return Buffer.from(serial).toString('hex');
}
