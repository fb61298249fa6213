/**
 * Baseline for the lean trainer: the same MLP trained with tfjs-layers' model.fit (batch 100, Adam 0.001)
 * on the same backend. Usage: tsx bench/fit-baseline.ts BACKEND MNIST_DIR → one JSON line.
 */
import { useBackend, tf } from '../src/core/backend'
import { loadMnist } from '../src/core/data'
import { toUnitPixels } from '../src/core/training/tensors'

async function main(): Promise<void> {
  const [name, mnistDir] = process.argv.slice(2)
  const backend = await useBackend(name as 'tensorflow')
  const { train } = await loadMnist(mnistDir)
  const x = tf.tensor2d(toUnitPixels(train.images), [train.count, 784])
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(train.labels), 'int32'), 10).toFloat()
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 100, activation: 'sigmoid', inputShape: [784] }),
      tf.layers.dense({ units: 100, activation: 'sigmoid' }),
      tf.layers.dense({ units: 10, activation: 'softmax' })
    ]
  })
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  const seconds: number[] = []
  for (let epoch = 0; epoch < 2; epoch++) {
    const t = performance.now()
    await model.fit(x, y, { batchSize: 100, epochs: 1, shuffle: true, verbose: 0 })
    seconds.push((performance.now() - t) / 1000)
  }
  process.stdout.write(
    JSON.stringify({
      backend: backend.name,
      method: 'model.fit',
      epochSeconds: seconds,
      secondsPerEpoch: Math.min(...seconds)
    }) + '\n'
  )
}

void main()
