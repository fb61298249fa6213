/**
 * The feature-space "not a digit" detector. Softmax confidence cannot tell a letter from a digit (the shipped
 * CNN reads a hand-drawn A as a 4 at 99.8 %), but the model's inner activations say more (the CNN's last
 * pooled maps, the MLP's last hidden layer: src/core/model/runner.ts): a digit's activations lie close to the
 * low-dimensional span of its class's activations on held-out digits, a shape no digit fits sticks out of
 * every class's span.
 *
 * Fitting (on held-out, labelled digits): the activations are L2-normalised; per class c, their mean μ_c and
 * their top `components` principal directions B_c (subspace iteration, deterministic start). The score of an
 * activation vector f is the smallest, over the classes, squared residual of f̂ = f/‖f‖ off that class's
 * principal subspace:  score(f) = min_c ‖(I − B_c B_cᵀ)(f̂ − μ_c)‖²  (a per-class PCA reconstruction error,
 * the "subspace method"; the class-conditional Gaussian with a shared covariance of Lee et al. 2018 was
 * measured too and caught far fewer letters at the same false-flag rate; see resources/models/*\/README.md).
 * The threshold is a high percentile (default 99.5th) of the held-out digits' scores, so genuine digits are
 * rarely flagged. The arrays (10 × features × (components + 1) floats) live in a sidecar file of the model
 * folder (DETECTOR_FILE), described and checksummed in metadata.json's calibration.
 */
import { createHash } from 'node:crypto'
import { DETECTOR_FILE, type DetectorInfo } from '../../shared/schemas/calibration'
import { tf } from '../backend'
import { Random } from '../model/random'

export { DETECTOR_FILE, DetectorInfoSchema, type DetectorInfo } from '../../shared/schemas/calibration'

const CLASSES = 10
/**
 * Principal directions kept per class: a quarter of the features, at most 48 (the CNN's 1024 → 48, the MLP's
 * 100 → 25). Measured on the shipped CNN (5,000 held-out digits, 99.5th percentile): 32 directions flag 35 % of
 * a synthetic letter set, 48 flag 75 % (0.6 % of MNIST's test digits, 0.3 % of usps-600), 64 flag 99 % but
 * also 3-4 % of genuine digits.
 */
export function defaultComponents(featureSize: number): number {
  return Math.max(1, Math.min(48, Math.round(featureSize / 4)))
}
/** The held-out digits' score percentile taken as the threshold. */
export const DEFAULT_PERCENTILE = 99.5

export interface Detector {
  info: DetectorInfo
  /** 10 × features: each class's mean normalised activation vector. */
  means: Float32Array
  /** 10 × features × components: each class's principal directions, row-major per class. */
  bases: Float32Array
}

/** Per detector, each class's ‖μ_c‖² and B_cᵀ μ_c (10 × components), computed once. */
const meanTerms = new WeakMap<Detector, { norms: Float64Array; projections: Float64Array }>()

function meanTermsOf(detector: Detector): { norms: Float64Array; projections: Float64Array } {
  const known = meanTerms.get(detector)
  if (known) return known
  const { features: size, components } = detector.info
  const norms = new Float64Array(CLASSES)
  const projections = new Float64Array(CLASSES * components)
  for (let c = 0; c < CLASSES; c++) {
    for (let k = 0; k < size; k++) {
      const v = detector.means[c * size + k]
      norms[c] += v * v
      const row = (c * size + k) * components
      for (let m = 0; m < components; m++) projections[c * components + m] += v * detector.bases[row + m]
    }
  }
  const terms = { norms, projections }
  meanTerms.set(detector, terms)
  return terms
}

/**
 * The detector's score of one activation vector (features values from `offset`): larger = less like a digit.
 * With f̂ normalised, ‖f̂ − μ_c‖² = ‖f̂‖² − 2 f̂·μ_c + ‖μ_c‖² and B_cᵀ(f̂ − μ_c) = B_cᵀ f̂ − B_cᵀ μ_c, so only
 * the non-zero activations (ReLU maps are sparse) cost work per frame.
 */
export function detectorScore(detector: Detector, features: ArrayLike<number>, offset = 0): number {
  const { features: size, components } = detector.info
  const { means, bases } = detector
  const { norms, projections } = meanTermsOf(detector)
  let norm = 0
  const nonZero: number[] = []
  for (let k = 0; k < size; k++) {
    const v = features[offset + k]
    if (v !== 0) {
      nonZero.push(k)
      norm += v * v
    }
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
  const self = norm > 0 ? 1 : 0
  const p = new Float64Array(components)
  let best = Infinity
  for (let c = 0; c < CLASSES; c++) {
    let dot = 0
    for (let m = 0; m < components; m++) p[m] = -projections[c * components + m]
    for (const k of nonZero) {
      const v = features[offset + k] * scale
      dot += v * means[c * size + k]
      const row = (c * size + k) * components
      for (let m = 0; m < components; m++) p[m] += v * bases[row + m]
    }
    let inside = 0
    for (let m = 0; m < components; m++) inside += p[m] * p[m]
    best = Math.min(best, Math.max(0, self - 2 * dot + norms[c] - inside))
  }
  return best
}

/** From this many vectors on, the backend's matrix product scores them (one call); fewer, the loop above. */
const BATCHED_FROM = 4

/** The detector's arrays on the backend, made at its first batch and kept until releaseDetector. */
const onBackend = new WeakMap<
  Detector,
  { bases: tf.Tensor2D; means: tf.Tensor2D; projections: tf.Tensor1D; norms: tf.Tensor1D }
>()

function tensorsOf(detector: Detector) {
  const known = onBackend.get(detector)
  if (known) return known
  const { features: size, components } = detector.info
  const { norms, projections } = meanTermsOf(detector)
  const made = tf.tidy(() => ({
    // features × (classes · components): every class's directions side by side.
    bases: tf
      .tensor3d(detector.bases, [CLASSES, size, components])
      .transpose([1, 0, 2])
      .reshape([size, CLASSES * components]) as tf.Tensor2D,
    means: tf.tensor2d(detector.means, [CLASSES, size]).transpose() as tf.Tensor2D,
    projections: tf.tensor1d(Float32Array.from(projections)),
    norms: tf.tensor1d(Float32Array.from(norms))
  }))
  tf.keep(made.bases)
  tf.keep(made.means)
  tf.keep(made.projections)
  tf.keep(made.norms)
  onBackend.set(detector, made)
  return made
}

/** Frees the detector's arrays on the backend (its model is being disposed). */
export function releaseDetector(detector: Detector): void {
  const held = onBackend.get(detector)
  if (!held) return
  onBackend.delete(detector)
  tf.dispose([held.bases, held.means, held.projections, held.norms])
}

/**
 * detectorScore of each of `count` activation vectors (row-major): for a batch (an import, a page) one matrix
 * product on the backend (TensorFlow or WebAssembly), ~2 ms for 200 vectors where the loop takes ~0.35 ms each.
 */
export function detectorScores(detector: Detector, features: Float32Array, count: number): Float64Array {
  const size = detector.info.features
  // The plain-JavaScript backend's matrix product is slower than the loop, which skips zero activations.
  if (count < BATCHED_FROM || tf.getBackend() === 'cpu') {
    return Float64Array.from({ length: count }, (_, n) => detectorScore(detector, features, n * size))
  }
  const held = tensorsOf(detector)
  const scores = tf.tidy(() => {
    const x = tf.tensor2d(features.subarray(0, count * size), [count, size])
    const squared = tf.sum(tf.square(x), 1, true)
    const unit = tf.div(x, tf.sqrt(tf.maximum(squared, 1e-30)))
    const self = tf.cast(tf.greater(squared, 0), 'float32')
    const off = tf.sub(tf.matMul(unit, held.bases), held.projections)
    const inside = tf.sum(tf.square(tf.reshape(off, [count, CLASSES, detector.info.components])), 2)
    const dot = tf.matMul(unit, held.means)
    return tf.min(tf.relu(tf.add(tf.sub(self, tf.mul(2, dot)), tf.sub(held.norms, inside))), 1)
  })
  const out = Float64Array.from(scores.dataSync())
  scores.dispose()
  return out
}

/** True when a detector score (detectorScore, detectorScores) says its activation vector is no digit. */
export function scoreSaysNoDigit(detector: Detector, score: number): boolean {
  return score > detector.info.threshold
}

/** True when the detector says the activation vector is no digit. */
export function isNotADigit(detector: Detector, features: ArrayLike<number>, offset = 0): boolean {
  return scoreSaysNoDigit(detector, detectorScore(detector, features, offset))
}

/** Orthonormalises the columns of q (rows×cols, row-major) in place (modified Gram–Schmidt). */
function orthonormalise(q: Float64Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0
      for (let r = 0; r < rows; r++) dot += q[r * cols + i] * q[r * cols + j]
      for (let r = 0; r < rows; r++) q[r * cols + j] -= dot * q[r * cols + i]
    }
    let norm = 0
    for (let r = 0; r < rows; r++) norm += q[r * cols + j] ** 2
    norm = Math.sqrt(norm)
    for (let r = 0; r < rows; r++) q[r * cols + j] = norm > 1e-12 ? q[r * cols + j] / norm : 0
  }
}

/**
 * The top `cols` principal directions (size×cols, orthonormal columns) of the rows of x (n×size, centred): the
 * eigenvectors of the n×n Gram matrix X Xᵀ by subspace iteration from a seeded start, mapped back through Xᵀ
 * (cheap when n is a few hundred and size 1024). The products run on the tensor backend.
 */
function principalDirections(
  x: Float64Array,
  n: number,
  size: number,
  cols: number,
  seed: number
): Float64Array {
  const random = new Random(seed)
  const start = Float64Array.from({ length: n * cols }, () => random.normal())
  orthonormalise(start, n, cols)
  const xt = tf.tensor2d(Float32Array.from(x), [n, size])
  const gram = tf.matMul(xt, xt, false, true)
  try {
    let q = start
    for (let iteration = 0; iteration < 60; iteration++) {
      const next = Float64Array.from(
        tf.tidy(() => tf.matMul(gram, tf.tensor2d(Float32Array.from(q), [n, cols]))).dataSync()
      )
      orthonormalise(next, n, cols)
      q = next
    }
    const back = tf.tidy(() => tf.matMul(xt, tf.tensor2d(Float32Array.from(q), [n, cols]), true, false))
    const v = Float64Array.from(back.dataSync())
    back.dispose()
    orthonormalise(v, size, cols)
    return v
  } finally {
    tf.dispose([xt, gram])
  }
}

export interface DetectorFitOptions {
  components?: number
  percentile?: number
  /** The layer the activations come from, in words. */
  layer: string
}

/** Held-out digits of each class needed per principal direction kept (fewer digits: fewer directions). */
const SAMPLES_PER_COMPONENT = 4

/**
 * Fits the detector on count labelled activation vectors (count×featureSize). Returns it with the held-out
 * digits' own scores (ascending), from which the threshold was taken; null when some digit has fewer than
 * 2 · SAMPLES_PER_COMPONENT samples (a subspace fitted on that few would hug them and flag every new digit).
 */
export function fitDetector(
  features: Float32Array,
  featureSize: number,
  labels: ArrayLike<number>,
  options: DetectorFitOptions
): { detector: Detector; scores: Float64Array } | null {
  const count = labels.length
  if (features.length !== count * featureSize) {
    throw new Error(`expected ${count}×${featureSize} activations, got ${features.length} values`)
  }
  const perClass = new Array<number>(CLASSES).fill(0)
  for (let n = 0; n < count; n++) perClass[labels[n]]++
  const fewest = Math.min(...perClass)
  const components = Math.min(
    options.components ?? defaultComponents(featureSize),
    featureSize,
    Math.floor(fewest / SAMPLES_PER_COMPONENT)
  )
  if (components < 2) return null
  const percentile = options.percentile ?? DEFAULT_PERCENTILE
  const normalised = new Float64Array(features.length)
  for (let n = 0; n < count; n++) {
    let norm = 0
    for (let k = 0; k < featureSize; k++) norm += features[n * featureSize + k] ** 2
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let k = 0; k < featureSize; k++)
      normalised[n * featureSize + k] = features[n * featureSize + k] * scale
  }
  const means = new Float32Array(CLASSES * featureSize)
  const bases = new Float32Array(CLASSES * featureSize * components)
  for (let c = 0; c < CLASSES; c++) {
    const rows: number[] = []
    for (let n = 0; n < count; n++) if (labels[n] === c) rows.push(n)
    const mean = new Float64Array(featureSize)
    for (const n of rows)
      for (let k = 0; k < featureSize; k++) mean[k] += normalised[n * featureSize + k] / rows.length
    const centred = new Float64Array(rows.length * featureSize)
    rows.forEach((n, r) => {
      for (let k = 0; k < featureSize; k++)
        centred[r * featureSize + k] = normalised[n * featureSize + k] - mean[k]
    })
    means.set(mean, c * featureSize)
    bases.set(
      principalDirections(centred, rows.length, featureSize, components, 17 + c),
      c * featureSize * components
    )
  }
  const partial: Detector = {
    info: {
      kind: 'class-subspace',
      file: DETECTOR_FILE,
      layer: options.layer,
      features: featureSize,
      components,
      classes: CLASSES,
      threshold: 1,
      percentile,
      samples: count,
      sha256: '0'.repeat(64)
    },
    means,
    bases
  }
  const scores = Float64Array.from({ length: count }, (_, n) =>
    detectorScore(partial, features, n * featureSize)
  )
  scores.sort()
  const threshold = Math.max(scores[Math.min(count - 1, Math.floor((percentile / 100) * count))], 1e-9)
  const detector: Detector = { ...partial, info: { ...partial.info, threshold } }
  detector.info.sha256 = sha256(detectorBytes(detector))
  return { detector, scores }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The sidecar file's bytes: per class, the mean then the basis, float32 little-endian. */
export function detectorBytes(detector: Detector): Uint8Array {
  const { features, components } = detector.info
  const out = new Float32Array(CLASSES * features * (components + 1))
  for (let c = 0; c < CLASSES; c++) {
    const at = c * features * (components + 1)
    out.set(detector.means.subarray(c * features, (c + 1) * features), at)
    out.set(
      detector.bases.subarray(c * features * components, (c + 1) * features * components),
      at + features
    )
  }
  const bytes = new Uint8Array(out.buffer)
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
    for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse()
  }
  return bytes
}

/** The sidecar's expected size in bytes. */
export function detectorFileBytes(info: DetectorInfo): number {
  return CLASSES * info.features * (info.components + 1) * 4
}

/** The detector from its description and its sidecar's bytes; throws an Error saying what is wrong. */
export function detectorFromBytes(info: DetectorInfo, bytes: Uint8Array): Detector {
  const expected = detectorFileBytes(info)
  if (bytes.length !== expected) throw new Error(`holds ${bytes.length} bytes where ${expected} are expected`)
  if (sha256(bytes) !== info.sha256) throw new Error('its checksum does not match metadata.json')
  const copy = Uint8Array.from(bytes)
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
    for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse()
  }
  const values = new Float32Array(copy.buffer)
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`value ${i} is not a finite number`)
  }
  const { features, components } = info
  const means = new Float32Array(CLASSES * features)
  const bases = new Float32Array(CLASSES * features * components)
  for (let c = 0; c < CLASSES; c++) {
    const at = c * features * (components + 1)
    means.set(values.subarray(at, at + features), c * features)
    bases.set(values.subarray(at + features, at + features * (components + 1)), c * features * components)
  }
  return { info, means, bases }
}
