import type { BackendName, ModelMetadata } from '../../shared/schemas/models'
import type { Hyperparameters } from '../../shared/schemas/training'
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

/** Metadata for a model trained with these settings (the paper's architecture). */
export function buildMetadata(input: MetadataInput): ModelMetadata {
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    architecture: {
      layers: layerSizes(input.hyperparameters.hiddenUnits),
      hiddenActivation: 'sigmoid',
      outputActivation: 'softmax'
    },
    ...input
  }
}
