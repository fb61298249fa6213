/**
 * One backend's numbers, measured in its own process so peak RSS belongs to that backend alone.
 * Usage: tsx bench/engine.ts BACKEND[-lean][-cnn] FRACTION EPOCHS MNIST_DIR  → one JSON line on stdout.
 * `tensorflow` trains with the graph step where it loads, `tensorflow-lean` with the lean step; `-cnn` trains
 * the CNN (src/core/model/cnn.ts) instead of the paper's MLP, on any backend (`tensorflow-lean-cnn`: the
 * CNN on the lean step).
 */
import { tf, useBackend } from '../src/core/backend'
import { firstDigits, loadMnist } from '../src/core/data/mnist'
import type { EpochTimes } from '../src/core/training/graph/timing'
import { train } from '../src/core/training/trainer'
import { toUnitPixels } from '../src/core/training/tensors'
import { HyperparametersSchema } from '../src/shared/schemas/training'
import type { BackendName } from '../src/shared/schemas/models'
import { percentile } from './stats'
import { createRunner } from '../src/core/model/weights'

const [entry, fractionText, epochsText, mnistDir] = process.argv.slice(2)
const name = entry.replace(/-(lean|cnn)/g, '')
const architecture = entry.includes('-cnn') ? 'cnn' : 'mlp'
const lean = entry.includes('-lean')
const fraction = Number(fractionText)
const epochs = Number(epochsText)

/** One-thread matrix-product rate of this backend (512×512 by 512×512), GFLOP/s: the arithmetic ceiling. */
function gemmGflops(): number {
  const n = 512
  const a = tf.randomUniform([n, n])
  const b = tf.randomUniform([n, n])
  const rounds = (reps: number) => {
    const t = performance.now()
    tf.tidy(() => {
      let c = a
      for (let i = 0; i < reps; i++) c = tf.matMul(a, b)
      c.dataSync()
    })
    return (performance.now() - t) / 1000
  }
  rounds(2)
  let best = Infinity
  for (let k = 0; k < 3; k++) best = Math.min(best, rounds(5) / 5)
  tf.dispose([a, b])
  return (2 * n ** 3) / best / 1e9
}

async function main(): Promise<void> {
  const backend = await useBackend(name as BackendName)
  const full = await loadMnist(mnistDir)
  const trainCount = Math.round(full.train.count * fraction)
  // The CNN's per-epoch test pass over 10,000 images would dwarf a timed fraction on wasm and cpu: a part of it.
  const testCount = architecture === 'cnn' && fraction < 1 ? Math.min(full.test.count, 1000) : full.test.count
  const testSet = firstDigits(full.test, testCount)
  const trainSet = firstDigits(full.train, trainCount)
  const batchesPerEpoch = Math.ceil(trainCount / 100)
  const epochSeconds: number[] = []
  const epochTimes: EpochTimes[] = []
  const scale = full.train.count / trainCount
  let windowEpoch = 0
  let windowDone = 0
  const result = await train({
    step: lean ? 'lean' : 'auto',
    onEpoch: ({ times }) => {
      epochTimes.push({ dataSeconds: times.dataSeconds * scale, stepSeconds: times.stepSeconds * scale })
    },
    // As few reports as the trainer gives (it keeps ~10 an epoch on short runs): their windows' samples/s,
    // summed per epoch, cover exactly the epoch's training steps (not the step-0 point, not evaluation).
    hyperparameters: HyperparametersSchema.parse({
      architecture,
      epochs,
      seed: 42,
      reportEvery: batchesPerEpoch
    }),
    train: trainSet,
    test: testSet,
    onProgress: (e) => {
      if (e.step === 0 || e.samplesPerSecond <= 0) return
      const done = Math.min(e.batchInEpoch * 100, trainCount)
      if (e.epoch !== windowEpoch) [windowEpoch, windowDone] = [e.epoch, 0]
      epochSeconds[e.epoch - 1] =
        (epochSeconds[e.epoch - 1] ?? 0) + ((done - windowDone) / e.samplesPerSecond) * scale
      windowDone = done
    }
  })
  // Single-sample inference latency (the drawing pad's case).
  const runner = createRunner(result.weights)
  const sample = toUnitPixels(full.test.images.subarray(0, 784))
  for (let i = 0; i < 100; i++) runner.predictSync(sample, 1)
  const latencies: number[] = []
  for (let i = 0; i < 1000; i++) {
    const t = performance.now()
    runner.predictSync(sample, 1)
    latencies.push(performance.now() - t)
  }
  runner.dispose()
  latencies.sort((a, b) => a - b)
  // The first epoch includes warm-up (kernel set-up): the steady state is the best later epoch.
  const steadyIndex = epochSeconds.length > 1 ? epochSeconds.indexOf(Math.min(...epochSeconds.slice(1))) : 0
  const steady = epochSeconds[steadyIndex]
  process.stdout.write(
    JSON.stringify({
      backend: backend.name,
      architecture,
      detail: backend.detail,
      step: result.step,
      timedSamplesPerEpoch: trainCount,
      extrapolated: fraction < 1,
      epochs,
      epochSecondsExtrapolated: epochSeconds,
      secondsPerEpoch: steady,
      // Of the steady epoch, scaled to a full one: JavaScript batch preparation and the step calls.
      steadyEpochTimes: epochTimes[steadyIndex] ?? null,
      gemmGflops: gemmGflops(),
      samplesPerSecond: full.train.count / steady,
      testAccuracy: result.lastEpoch?.testAccuracy ?? null,
      testAccuracyNote:
        fraction < 1
          ? `after ${epochs} epoch(s) on ${trainCount} images only, on ${testCount} test images`
          : `after ${epochs} epoch(s)`,
      inferenceMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      peakRssMiB: process.resourceUsage().maxRSS / 1024
    }) + '\n'
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
