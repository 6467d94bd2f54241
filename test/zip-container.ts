/** One part of a zip, its data already deflated. */
export interface ZipContainerEntry {
  path: string;
  /** The deflated bytes (method 8). */
  data: Buffer;
  /** The CRC-32 and size of the uncompressed bytes; 0 where a hostile file leaves them unknown. */
  checksum: number;
  size: number;
}

/**
 * The zip container around deflated parts, in the order given, with a central directory at the
 * end. `sizesAfterData`: as a streaming writer makes it, the local headers leave the sizes and CRC
 * out (flag 8) and a data descriptor after each part gives them; otherwise every local header
 * carries them. Names are flagged UTF-8.
 */
export function zipContainer(entries: readonly ZipContainerEntry[], options: { sizesAfterData: boolean }): Buffer {
  const flags = options.sizesAfterData ? 0x808 : 0x800;
  const pieces: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { path, data, checksum, size } of entries) {
    const name = Buffer.from(path, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(8, 8);
    if (!options.sizesAfterData) {
      header.writeUInt32LE(checksum, 14);
      header.writeUInt32LE(data.length, 18);
      header.writeUInt32LE(size, 22);
    }
    header.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(options.sizesAfterData ? 16 : 0);
    if (options.sizesAfterData) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(checksum, 4);
      descriptor.writeUInt32LE(data.length >>> 0, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(checksum, 16);
    entry.writeUInt32LE(data.length >>> 0, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    pieces.push(header, name, data, descriptor);
    offset += header.length + name.length + data.length + descriptor.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...pieces, centralBytes, end]);
}
