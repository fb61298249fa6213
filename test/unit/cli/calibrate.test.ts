/** `digit-studio calibrate`: the temperature and the "not a digit" detector, written into the model folder in place. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DETECTOR_FILE } from '../../../src/core/calibration/detector'
import { loadModelFolder } from '../../../src/core/models'
import { runCli } from '../../support/cli'
import { hasMnist } from '../../support/paths'
import { letterForms, stackForms } from '../../support/letters'

const missing = !hasMnist()
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const temp = mkdtempSync(path.join(tmpdir(), 'digit-cli-calibrate-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

const cli = runCli

describe.skipIf(missing)('digit-studio calibrate', () => {
  it("fits and writes the detector beside metadata.json, keeping the folder's other files", async () => {
    const folder = path.join(temp, 'mlp')
    cpSync(path.join(ROOT, 'resources', 'models', 'paper-mlp'), folder, { recursive: true })
    rmSync(path.join(folder, DETECTOR_FILE), { force: true })
    const metadata = JSON.parse(readFileSync(path.join(folder, 'metadata.json'), 'utf8'))
    delete metadata.calibration
    writeFileSync(path.join(folder, 'metadata.json'), JSON.stringify(metadata))
    const weights = readFileSync(path.join(folder, 'weights.bin'))

    const { code, out } = await cli(['calibrate', folder, '--json'])
    expect(code).toBe(0)
    const reported = JSON.parse(out).calibration
    expect(reported.temperature).toBeGreaterThan(0)
    expect(reported.detector.file).toBe(DETECTOR_FILE)
    expect(existsSync(path.join(folder, DETECTOR_FILE))).toBe(true)
    expect(existsSync(path.join(folder, 'README.md'))).toBe(true)
    expect(readFileSync(path.join(folder, 'weights.bin')).equals(weights)).toBe(true)

    const model = await loadModelFolder(folder)
    try {
      expect(model.detectorProblem).toBeNull()
      expect(model.detector?.info).toEqual(reported.detector)
      // The predictions are the model's own: calibrating changes flags, never answers.
      const letters = letterForms(10, 9)
      const before = await loadModelFolder(path.join(ROOT, 'resources', 'models', 'paper-mlp'))
      try {
        expect(await model.predict(stackForms(letters), 10)).toEqual(
          await before.predict(stackForms(letters), 10)
        )
      } finally {
        before.dispose()
      }
    } finally {
      model.dispose()
    }
  })

  it('reports a damaged detector.bin on stderr and still predicts', async () => {
    const folder = path.join(temp, 'damaged')
    cpSync(path.join(ROOT, 'resources', 'models', 'paper-mlp'), folder, { recursive: true })
    writeFileSync(path.join(folder, DETECTOR_FILE), 'not a detector')
    const { code, err } = await cli(['eval', '--model', folder, '--test-limit', '100'])
    expect(code).toBe(0)
    expect(err).toContain(path.join(folder, DETECTOR_FILE))
    expect(err).toMatch(/not a digit/)
  })
})
