/** Images as the preprocessing sees them (core only: nothing here crosses the IPC boundary). */

/** An 8-bit grayscale image, row-major; any polarity (the preprocessing detects it). */
export interface GrayImage {
  width: number
  height: number
  data: Uint8Array
}

/** Result of turning an image into MNIST's 28×28 form. */
export type MnistForm =
  | { kind: 'digit'; pixels: Float32Array /* 784 values in [0,1], ink = 1 */; inverted: boolean }
  | { kind: 'no-digit'; reason: string }
