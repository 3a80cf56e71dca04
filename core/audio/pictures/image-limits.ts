// The picture sizes the audio tools draw, apart from the drawing (sharp): the routes' schemas
// on the main thread need the numbers, only the audio workers load sharp.

export const IMAGE_LIMITS = { minSide: 16, maxWidth: 4096, maxHeight: 2048 } as const;

export function checkImageSize(width: number, height: number): void {
  const { minSide, maxWidth, maxHeight } = IMAGE_LIMITS;
  if (!Number.isInteger(width) || width < minSide || width > maxWidth) throw new RangeError(`width must be an integer in ${minSide}..${maxWidth}, got ${width}`);
  if (!Number.isInteger(height) || height < minSide || height > maxHeight) throw new RangeError(`height must be an integer in ${minSide}..${maxHeight}, got ${height}`);
}
