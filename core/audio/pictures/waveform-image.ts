// A waveform overview: per output column the min/max envelope (lighter) and the RMS band
// (full colour), centred, on a transparent background.
import sharp from 'sharp';
import { colormap, type ColormapName } from './colormaps.ts';
import { checkImageSize } from './image-limits.ts';
import { encodeImage, type ImageFormat, type RenderedImage } from './spectrogram-image.ts';

export interface WaveformImageOptions {
  readonly width?: number;
  readonly height?: number;
  readonly format?: ImageFormat;
  /** Colour map the line colour is taken from. Default 'magma'. */
  readonly colormap?: ColormapName;
}

export async function renderWaveform(signal: Float32Array, options: WaveformImageOptions = {}): Promise<RenderedImage> {
  const { width = 1000, height = 200, format = 'png' } = options;
  checkImageSize(width, height);
  const table = colormap(options.colormap ?? 'magma');
  const strong = table.subarray(3 * 170, 3 * 171), soft = table.subarray(3 * 210, 3 * 211);
  const rgba = Buffer.alloc(width * height * 4);
  const mid = (height - 1) / 2;
  const row = (v: number) => Math.round(mid - Math.max(-1, Math.min(1, v)) * mid);
  const paint = (x: number, from: number, to: number, colour: Uint8Array) => {
    for (let y = Math.min(from, to); y <= Math.max(from, to); y++) {
      const at = 4 * (y * width + x);
      rgba[at] = colour[0]!;
      rgba[at + 1] = colour[1]!;
      rgba[at + 2] = colour[2]!;
      rgba[at + 3] = 255;
    }
  };
  const n = signal.length;
  for (let x = 0; x < width; x++) {
    const start = Math.floor((x * n) / width), end = Math.max(start + 1, Math.floor(((x + 1) * n) / width));
    let min = 0, max = 0, squares = 0;
    for (let i = start; i < Math.min(n, end); i++) {
      const v = signal[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      squares += v * v;
    }
    if (start >= n) continue;
    const rms = Math.sqrt(squares / (Math.min(n, end) - start));
    paint(x, row(max), row(min), soft);
    paint(x, row(rms), row(-rms), strong);
  }
  return encodeImage(sharp(rgba, { raw: { width, height, channels: 4 } }), format);
}
