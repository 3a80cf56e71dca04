// A spectrogram picture: power in dB below the loudest cell over a fixed dynamic range,
// through a perceptual colour map, low frequencies at the bottom, no axes or margins.
// Computed at roughly one STFT frame per output column, then resized by sharp.
import sharp, { type Sharp } from 'sharp';
import { melSpectrogram } from '../dsp/mel-spectrogram.ts';
import { spectrogram } from '../dsp/stft.ts';
import { colormap, type ColormapName } from './colormaps.ts';
import { checkImageSize } from './image-limits.ts';

export type ImageFormat = 'png' | 'webp';

export interface SpectrogramImageOptions {
  /** Default 1000. */
  readonly width?: number;
  /** Default 320. */
  readonly height?: number;
  /** Default 'png'. */
  readonly format?: ImageFormat;
  /** Mel frequency axis (default) or linear. */
  readonly scale?: 'mel' | 'linear';
  /** Default 'magma'. */
  readonly colormap?: ColormapName;
  /** Levels shown below the peak, dB. Default 80. */
  readonly dynamicRangeDb?: number;
}

export interface RenderedImage {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export async function encodeImage(pipeline: Sharp, format: ImageFormat): Promise<RenderedImage> {
  const bytes = format === 'webp' ? await pipeline.webp({ quality: 90 }).toBuffer() : await pipeline.png({ compressionLevel: 6 }).toBuffer();
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: `image/${format}` };
}

export async function renderSpectrogram(signal: Float32Array, sampleRate: number, options: SpectrogramImageOptions = {}): Promise<RenderedImage> {
  const { width = 1000, height = 320, format = 'png', scale = 'mel', dynamicRangeDb = 80 } = options;
  checkImageSize(width, height);
  const nFft = Math.max(256, Math.pow(2, Math.round(Math.log2(sampleRate * 0.04))));
  const hop = Math.max(Math.floor(nFft / 8), Math.ceil(signal.length / width));
  const stftOptions = { nFft, hop, center: true, padMode: 'constant' as const, power: 2 as const };
  const spec = scale === 'mel'
    ? melSpectrogram(signal, { ...stftOptions, sampleRate, nMels: Math.min(256, Math.max(32, Math.round(height / 2))), melNorm: 'none' })
    : spectrogram(signal, stftOptions);
  const [rows, frames] = spec.dims;
  const columns = Math.max(1, frames);
  let peak = 0;
  for (const v of spec.data) peak = Math.max(peak, v);
  const table = colormap(options.colormap ?? 'magma');
  const rgb = Buffer.alloc(rows * columns * 3);
  const floorDb = -dynamicRangeDb;
  for (let r = 0; r < rows; r++) {
    const bin = rows - 1 - r; // highest frequency on the top row
    for (let t = 0; t < columns; t++) {
      const power = frames ? spec.data[bin * frames + t]! : 0;
      const db = peak > 0 && power > 0 ? 10 * Math.log10(power / peak) : floorDb;
      const level = Math.round(255 * Math.min(1, Math.max(0, (db - floorDb) / dynamicRangeDb)));
      rgb.set(table.subarray(3 * level, 3 * level + 3), 3 * (r * columns + t));
    }
  }
  const image = sharp(rgb, { raw: { width: columns, height: rows, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'cubic' });
  return encodeImage(image, format);
}
