// Peak and RMS in dBFS over all channels; silence reports -Infinity as null.

const toDb = (linear: number) => (linear > 0 ? Math.round(2000 * Math.log10(linear)) / 100 : null);

export function measureLevels(channels: readonly Float32Array[]): { peak_dbfs: number | null; rms_dbfs: number | null; clipped_samples: number } {
  let peak = 0;
  let sumSquares = 0;
  let count = 0;
  let clipped = 0;
  for (const channel of channels) {
    for (const sample of channel) {
      const magnitude = Math.abs(sample);
      if (magnitude > peak) peak = magnitude;
      if (magnitude >= 1) clipped++;
      sumSquares += sample * sample;
    }
    count += channel.length;
  }
  return { peak_dbfs: toDb(peak), rms_dbfs: count ? toDb(Math.sqrt(sumSquares / count)) : null, clipped_samples: clipped };
}
