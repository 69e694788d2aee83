/**
 * Draws a greyscale image (an INR reconstruction) on a canvas: values in [0, 1], row-major, clamped;
 * NaN/Inf pixels are drawn magenta so a broken network is visible. The canvas keeps the image's own
 * resolution and is scaled up by CSS with pixelated rendering (media/common.css `canvas.grey-image`).
 */

export function drawGreyImage(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, width: number, height: number, scale = 4): void {
  if (pixels.length !== width * height) {
    throw new RangeError(`drawGreyImage: ${pixels.length} pixels for a ${width}×${height} image`);
  }
  canvas.width = width;
  canvas.height = height;
  canvas.classList.add('grey-image');
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    const o = i * 4;
    if (Number.isFinite(v)) {
      const g = Math.round(Math.min(1, Math.max(0, v)) * 255);
      image.data[o] = g;
      image.data[o + 1] = g;
      image.data[o + 2] = g;
    } else {
      image.data[o] = 255;
      image.data[o + 1] = 0;
      image.data[o + 2] = 255;
    }
    image.data[o + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
