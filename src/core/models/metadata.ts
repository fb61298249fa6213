import type { BackendName, ModelMetadata } from '../../shared/schemas/models'
import type { Hyperparameters } from '../../shared/schemas/training'
import { cnnArchitecture } from '../model/cnn'
import { layerSizes } from '../model/mlp'

export interface MetadataInput {
  id: string
  name: string
  hyperparameters: Hyperparameters
  epochsCompleted: number
  trainSamples: number
  dataChecksums: Record<string, string>
  testAccuracy: number | null
  testLoss: number | null
  backend: BackendName
  trainingSeconds: number
  notes?: string
}

/** Metadata for a model trained with these settings (the paper's MLP or the CNN, by hyperparameters.architecture). */
export function buildMetadata(input: MetadataInput): ModelMetadata {
  const hp = input.hyperparameters
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    architecture:
      hp.architecture === 'cnn'
        ? cnnArchitecture(hp.cnn)
        : {
            kind: 'mlp',
            layers: layerSizes(hp.hiddenUnits),
            hiddenActivation: 'sigmoid',
            outputActivation: 'softmax'
          },
    ...input
  }
}
