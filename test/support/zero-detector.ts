/** A "not a digit" detector for classifiers made by tests: the real shape, all zeros, of the tests' feature size. */
import type { Detector } from '../../src/core/calibration/detector'

export function zeroDetector(features: number, components = 1): Detector {
  return {
    info: {
      kind: 'class-subspace',
      file: 'detector.bin',
      layer: 'test',
      features,
      components,
      classes: 10,
      threshold: 1,
      percentile: 99.5,
      samples: 0,
      sha256: '0'.repeat(64)
    },
    means: new Float32Array(10 * features),
    bases: new Float32Array(10 * features * components)
  }
}
