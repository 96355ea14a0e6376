/**
 * Zip archives with Node's zlib, for the Teams app package the build writes (TeamsSPFxApp.zip) and
 * the tests that open an .sppkg. Reading: the central directory names each entry, its local header
 * says where the data starts; stored and deflated entries only, which is what packagers write;
 * anything else is reported, not skipped.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

export function zipEntries(archive: Buffer, label = 'zip'): ZipEntry[] {
  // The end record is within the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let at = archive.length - 22; at >= Math.max(0, archive.length - 22 - 0xffff); at--) {
    if (archive.readUInt32LE(at) === endOfDirectory) {
      end = at;
      break;
    }
  }
  if (end < 0) {
    throw new Error(`${label}: not a zip archive (no end of central directory)`);
  }
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== directoryEntry) {
      throw new Error(`${label}: central directory entry ${i} is damaged`);
    }
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (archive.readUInt32LE(offset) !== localHeader) {
      throw new Error(`${label}: local header of ${name} is damaged`);
    }
    const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const raw = archive.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) {
      throw new Error(`${label}: ${name} uses compression method ${method}, which this reader does not know`);
    }
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
  }
  return entries;
}

/**
 * 2026-01-01 00:00 as an MS-DOS date and time: a fixed, valid stamp keeps the archive byte-for-byte
 * the same on every build (a zero date is month 0, which some validators refuse).
 */
const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;

/** A deflated zip of the given files, in their order. */
export function deflatedZip(files: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = deflateRawSync(file.data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(localHeader, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(dosDate, 12);
    header.writeUInt32LE(crc32(file.data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(file.data.length, 22);
    header.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(directoryEntry, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    header.copy(entry, 8, 6, 26);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(header, name, data);
    directory.push(entry, name);
    offset += header.length + name.length + data.length;
  }
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(endOfDirectory, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}
