import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  hasAlpha: boolean;
  /** RGBA, 4 bytes a pixel, row by row; opaque alpha when the PNG has none. */
  rgba: Buffer;
}

/**
 * Decodes the PNGs our icon script writes: 8-bit truecolour (colour type 2) or truecolour with
 * alpha (6), not interlaced. Anything else is refused by name, so a changed script shows up here.
 */
export function decodePng(png: Buffer, name = 'png'): DecodedPng {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error(`${name}: not a PNG file`);
  let at = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const data: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
    if (type === 'IDAT') data.push(body);
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header) throw new Error(`${name}: no IHDR chunk`);
  const { width, height, bitDepth, colorType, interlace } = header;
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`${name}: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}; expected 8-bit RGB or RGBA, not interlaced`);
  }
  const channels = colorType === 6 ? 4 : 3;
  const stride = width * channels;
  const filtered = inflateSync(Buffer.concat(data));
  if (filtered.length !== height * (stride + 1)) throw new Error(`${name}: image data is ${filtered.length} bytes, expected ${height * (stride + 1)}`);
  const raw = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = filtered[y * (stride + 1)];
    const line = filtered.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? raw[y * stride + x - channels] : 0;
      const up = y > 0 ? raw[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? raw[(y - 1) * stride + x - channels] : 0;
      raw[y * stride + x] = (line[x] + unfilter(filter, left, up, upLeft, name)) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4, 0xff);
  for (let p = 0; p < width * height; p++) raw.copy(rgba, p * 4, p * channels, p * channels + channels);
  return { width, height, hasAlpha: channels === 4, rgba };
}

function unfilter(filter: number, left: number, up: number, upLeft: number, name: string): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return a <= b && a <= c ? left : b <= c ? up : upLeft;
    }
    default:
      throw new Error(`${name}: unknown row filter ${filter}`);
  }
}

export const pixelAt = (image: DecodedPng, x: number, y: number): [number, number, number, number] => {
  const i = (y * image.width + x) * 4;
  return [image.rgba[i], image.rgba[i + 1], image.rgba[i + 2], image.rgba[i + 3]];
};
