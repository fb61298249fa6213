/**
 * A TensorFlow session running a SavedModel the app wrote, through tfjs-node's native SavedModel calls
 * (the ones tf.node.loadSavedModel uses: load the MetaGraph into a session, run named tensors). Calling
 * them directly skips loadSavedModel's JavaScript re-parse of saved_model.pb for every signature: the
 * signatures are known here. Variables live in the session until it is deleted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { tf } from '../../backend'
import { DT_FLOAT, DT_INT32, type Signature } from './graph-def'

interface SavedModelBackend {
  loadSavedModelMetaGraph(path: string, tags: string): number
  runSavedModel(
    id: number,
    inputs: tf.Tensor[],
    inputInfos: { name: string; tfDtype: string }[],
    outputNames: string[]
  ): tf.Tensor[]
  deleteSavedModel(id: number): void
}

const TF_DTYPE: Record<number, string> = { [DT_FLOAT]: 'DT_FLOAT', [DT_INT32]: 'DT_INT32' }
const tensorName = (tensor: string) => (tensor.includes(':') ? tensor : `${tensor}:0`)

export class NativeSession {
  private disposed = false

  private constructor(
    private readonly backend: SavedModelBackend,
    private readonly id: number
  ) {}

  /** Loads saved_model.pb bytes (tag `serve`) into a new session; throws where tfjs-node cannot. */
  static open(savedModel: Uint8Array): NativeSession {
    if (tf.getBackend() !== 'tensorflow') {
      throw new Error(`the active backend is ${tf.getBackend()}, not tensorflow`)
    }
    const backend = tf.backend() as unknown as Partial<SavedModelBackend>
    if (
      typeof backend.loadSavedModelMetaGraph !== 'function' ||
      typeof backend.runSavedModel !== 'function'
    ) {
      throw new Error('this tfjs-node has no SavedModel support')
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'digit-studio-graph-'))
    try {
      writeFileSync(path.join(dir, 'saved_model.pb'), savedModel)
      return new NativeSession(backend as SavedModelBackend, backend.loadSavedModelMetaGraph(dir, 'serve'))
    } finally {
      // The session holds the graph in memory: the file is no longer needed.
      rmSync(dir, { recursive: true, force: true })
    }
  }

  /** Runs a signature: every input fed by name, every output returned by name. */
  run(signature: Signature, feeds: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
    if (this.disposed) throw new Error('the graph session was closed')
    const inputs = Object.entries(signature.inputs)
    const missing = inputs.find(([key]) => !(key in feeds))
    if (missing) throw new Error(`graph input '${missing[0]}' was not fed`)
    const outputs = Object.entries(signature.outputs)
    const results = this.backend.runSavedModel(
      this.id,
      inputs.map(([key]) => feeds[key]),
      inputs.map(([, spec]) => ({
        name: tensorName(spec.tensor),
        tfDtype: TF_DTYPE[spec.dtype] ?? 'DT_FLOAT'
      })),
      outputs.map(([, spec]) => tensorName(spec.tensor))
    )
    return Object.fromEntries(outputs.map(([key], i) => [key, results[i]]))
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.backend.deleteSavedModel(this.id)
  }
}
