/**
 * Writing styles MNIST lacks: accuracy on MNIST's test 7s given a cross bar and its 1s given a flag (drawn by
 * src/core/training/styles.ts, seed 1), next to the same digits as written, per model. A check that a model
 * trained with `--augment styles` reads those styles; the judge is handwriting from elsewhere, not this set.
 * `npm run bench` includes it; alone: `npx tsx bench/styles.ts [MODEL_DIR…]` → one JSON document.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { loadMnistTest, PIXELS, type DigitSet } from '../src/core/data/mnist'
import { readModelFolder } from '../src/core/models'
import { Random } from '../src/core/model/random'
import { accuracyOf, asDigitSet } from '../src/core/personal/tune'
import { crossSeven, flagOne } from '../src/core/training/styles'
import { shippedModelDirs } from './models'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MNIST = path.resolve(root, '..', 'shared', 'data', 'mnist')

/** The test digits with this label, as written and with the style added (those the style could be drawn on). */
function styledSets(
  test: DigitSet,
  label: number,
  style: (image: Uint8Array, random: Random) => boolean
): { plain: DigitSet; styled: DigitSet } {
  const random = new Random(1)
  const plain: Uint8Array[] = []
  const styled: Uint8Array[] = []
  for (let i = 0; i < test.count; i++) {
    if (test.labels[i] !== label) continue
    const image = test.images.slice(i * PIXELS, (i + 1) * PIXELS)
    const copy = Uint8Array.from(image)
    if (!style(copy, random)) continue
    plain.push(image)
    styled.push(copy)
  }
  const asSet = (images: Uint8Array[]) => asDigitSet(images.map((bytes) => ({ label, bytes })))
  return { plain: asSet(plain), styled: asSet(styled) }
}

export async function benchStyles(dirs = shippedModelDirs()): Promise<Record<string, unknown>[]> {
  await selectBackend('auto')
  const { test } = await loadMnistTest(MNIST)
  const sets = {
    crossedSevens: styledSets(test, 7, crossSeven),
    flaggedOnes: styledSets(test, 1, flagOne)
  }
  const out: Record<string, unknown>[] = []
  for (const dir of dirs) {
    const { metadata, weights } = await readModelFolder(dir)
    const row: Record<string, unknown> = {
      model: metadata.id,
      trainedWithStyles: metadata.hyperparameters.augmentation.styles
    }
    for (const [name, { plain, styled }] of Object.entries(sets)) {
      row[name] = {
        digits: styled.count,
        asWritten: accuracyOf(weights, plain),
        withStyle: accuracyOf(weights, styled)
      }
    }
    out.push(row)
  }
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dirs = process.argv.slice(2).map((d) => path.resolve(d))
  benchStyles(dirs.length > 0 ? dirs : undefined)
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    })
}
