import { inflateRawSync } from 'node:zlib';

/**
 * Reads a zip (an .sppkg is one) from its central directory, which holds the true sizes even when
 * the writer streamed the entries with data descriptors. Stored and deflated entries only: that is
 * all SPFx's packager writes. Folder entries are left out.
 */
export function readZip(zip: Buffer, name = 'zip'): Map<string, Buffer> {
  const endSignature = 0x06054b50;
  let end = -1;
  // The end record is 22 bytes plus a comment of at most 65,535 bytes.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === endSignature) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${name}: no end of central directory record, not a zip`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${name}: central directory entry ${n} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName.endsWith('/')) continue;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`${name}: local header of ${entryName} is damaged`);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`${name}: ${entryName} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (data.length !== size) throw new Error(`${name}: ${entryName} inflates to ${data.length} bytes, the directory says ${size}`);
    entries.set(entryName, data);
  }
  return entries;
}
