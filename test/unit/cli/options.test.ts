import { describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import { parseAugment } from '../../../src/cli/commands/train'
import { schemaOption } from '../../../src/cli/output'
import type { CliIo } from '../../../src/cli/types'
import { calls, numberBounds } from '../../../src/shared/contract'
import {
  AugmentationSchema,
  HyperparametersSchema,
  TrainSubsetSchema
} from '../../../src/shared/schemas/training'

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = ''
  const io: CliIo = { stdout: () => undefined, stderr: (t) => (err += t), isTTY: false }
  return { code: await main(args, io), err }
}

describe('one source for every bound', () => {
  it('the CLI refuses exactly what the contract refuses (train subset, learning rate, epochs)', async () => {
    const start = calls['training.start'].request
    for (const [option, field, value] of [
      ['train-limit', 'trainSubset', '50'],
      ['train-limit', 'trainSubset', '60001'],
      ['learning-rate', 'learningRate', '0'],
      ['epochs', 'epochs', '0']
    ] as const) {
      const request =
        field === 'trainSubset'
          ? { hyperparameters: {}, trainSubset: Number(value) }
          : { hyperparameters: { [field]: Number(value) } }
      expect(start.safeParse(request).success, `${field}=${value} in the contract`).toBe(false)
      const { code, err } = await cli(['train', `--${option}`, value])
      expect(code, `--${option} ${value}`).toBe(2)
      expect(err).toContain(`--${option} must be`)
    }
    // And accepts what the contract accepts.
    expect(schemaOption('100', 'train-limit', TrainSubsetSchema)).toBe(100)
    expect(schemaOption('1e-6', 'learning-rate', HyperparametersSchema.shape.learningRate)).toBe(1e-6)
  })

  it('states the schema’s bounds in the message', () => {
    expect(() => schemaOption('0', 'epochs', HyperparametersSchema.shape.epochs)).toThrow(
      '--epochs must be an integer from 1 to 1000'
    )
    expect(() => schemaOption('x', 'learning-rate', HyperparametersSchema.shape.learningRate)).toThrow(
      '--learning-rate must be a number greater than 0 up to 1'
    )
    expect(numberBounds(TrainSubsetSchema)).toEqual({
      min: 100,
      max: 60_000,
      exclusiveMin: false,
      integer: true
    })
  })
})

describe('--augment', () => {
  it('switches on exactly the kinds named, each one a switch of the contract', () => {
    const all = parseAugment('affine,elastic,thickness,slant,aspect,breaks,crop,styles')
    const switches = Object.entries(AugmentationSchema.parse({}))
      .filter(([, value]) => typeof value === 'boolean')
      .map(([key]) => key)
    expect(Object.keys(all).sort()).toEqual(switches.sort())
    expect(Object.values(all).every(Boolean)).toBe(true)
    expect(parseAugment('styles')).toMatchObject({ styles: true, affine: false, crop: false })
    expect(Object.values(parseAugment('none')).some(Boolean)).toBe(false)
    expect(() => parseAugment('sepia')).toThrow(/unknown kind 'sepia'/)
  })
})
