/** Model versions for the kill-mid-save test: version N is the paper's MLP initialised from seed N. */
import { buildMetadata } from '../../../src/core/models'
import { initWeights, layerSizes, type MlpWeights } from '../../../src/core/model/mlp'
import type { ModelMetadata } from '../../../src/shared/schemas/models'
import { HyperparametersSchema } from '../../../src/shared/schemas/training'

export const SLOT = 'survivor'

export function modelVersion(version: number): { weights: MlpWeights; metadata: ModelMetadata } {
  const hyperparameters = HyperparametersSchema.parse({ seed: version })
  const weights = initWeights(layerSizes(hyperparameters.hiddenUnits), version)
  const metadata = buildMetadata({
    id: SLOT,
    name: `version ${version}`,
    hyperparameters,
    epochsCompleted: version,
    trainSamples: 0,
    dataChecksums: {},
    testAccuracy: null,
    testLoss: null,
    backend: 'cpu',
    trainingSeconds: 0
  })
  return { weights, metadata }
}
