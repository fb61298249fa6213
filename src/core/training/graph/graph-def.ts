/**
 * A minimal TensorFlow graph writer: nodes with typed attributes, serialised as a SavedModel
 * (saved_model.pb: SavedModel → MetaGraphDef → GraphDef + SignatureDefs) with the protobuf classes that
 * tfjs-node ships for reading SavedModels (dist/proto/api_pb.js, generated from TensorFlow's .proto files).
 * No variables folder: the graph's resource variables are created and assigned by its own signatures.
 */
import { createRequire } from 'node:module'

export const DT_FLOAT = 1
export const DT_INT32 = 3
export const DT_UINT8 = 4
export const DT_BOOL = 10
export type DType = typeof DT_FLOAT | typeof DT_INT32 | typeof DT_UINT8 | typeof DT_BOOL

/** A shape with -1 for an unknown dimension. */
export type Shape = number[]

export type Attr =
  | { type: DType }
  | { shape: Shape }
  | { b: boolean }
  | { i: number }
  | { f: number }
  | { s: string }
  | { list: number[] }
  | { floats: { shape: Shape; values: ArrayLike<number> } }
  | { ints: { shape: Shape; values: ArrayLike<number> } }

interface Node {
  name: string
  op: string
  inputs: string[]
  attrs: Record<string, Attr>
}

export interface TensorSpec {
  /** Node output, e.g. `x` or `sce:1`. */
  tensor: string
  dtype: DType
  shape: Shape
}

export interface Signature {
  inputs: Record<string, TensorSpec>
  outputs: Record<string, TensorSpec>
}

/* The generated classes, typed as far as this file uses them. */
interface Message {
  serializeBinary(): Uint8Array
}
interface Proto {
  new (): Message & Record<string, (...args: never[]) => unknown>
}
type Protos = Record<
  | 'SavedModel'
  | 'MetaGraphDef'
  | 'GraphDef'
  | 'NodeDef'
  | 'AttrValue'
  | 'Tensor'
  | 'TensorShape'
  | 'SignatureDef'
  | 'TensorInfo'
  | 'VersionDef',
  Proto
> & { TensorShape: { Dim: Proto }; MetaGraphDef: { MetaInfoDef: Proto }; AttrValue: { ListValue: Proto } }

let protos: Protos | null = null
function loadProtos(): Protos {
  // Part of tfjs-node (an optional dependency): only called when the tensorflow backend is active.
  protos ??= createRequire(import.meta.url)('@tensorflow/tfjs-node/dist/proto/api_pb.js') as Protos
  return protos
}

/** A message with loosely typed setters (the generated API is dynamic). */
type Any = Record<string, (...args: unknown[]) => unknown> & Message
const make = (proto: Proto): Any => new proto() as unknown as Any

function shapeProto(p: Protos, shape: Shape): Any {
  const s = make(p.TensorShape)
  for (const size of shape) {
    const dim = make(p.TensorShape.Dim)
    dim.setSize(size)
    s.addDim(dim)
  }
  return s
}

function tensorProto(p: Protos, dtype: DType, shape: Shape, values: ArrayLike<number>): Any {
  const t = make(p.Tensor)
  t.setDtype(dtype)
  t.setTensorShape(shapeProto(p, shape))
  const bytes = dtype === DT_FLOAT ? new Float32Array(Array.from(values)) : new Int32Array(Array.from(values))
  t.setTensorContent(new Uint8Array(bytes.buffer))
  return t
}

function attrProto(p: Protos, attr: Attr): Any {
  const a = make(p.AttrValue)
  if ('type' in attr) a.setType(attr.type)
  else if ('shape' in attr) a.setShape(shapeProto(p, attr.shape))
  else if ('b' in attr) a.setB(attr.b)
  else if ('i' in attr) a.setI(attr.i)
  else if ('f' in attr) a.setF(attr.f)
  else if ('s' in attr) a.setS(new TextEncoder().encode(attr.s))
  else if ('list' in attr) {
    const list = make(p.AttrValue.ListValue)
    for (const value of attr.list) list.addI(value)
    a.setList(list)
  } else if ('floats' in attr) a.setTensor(tensorProto(p, DT_FLOAT, attr.floats.shape, attr.floats.values))
  else a.setTensor(tensorProto(p, DT_INT32, attr.ints.shape, attr.ints.values))
  return a
}

/** Builds a graph node by node; each method returns the new node's name (its output 0). */
export class GraphBuilder {
  private readonly nodes: Node[] = []
  private readonly names = new Set<string>()

  /** Adds a node; `inputs` may name outputs (`n:1`) and control dependencies (`^n`). */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    let base = name ?? op
    if (this.names.has(base)) {
      let k = 1
      while (this.names.has(`${base}_${k}`)) k++
      base = `${base}_${k}`
    }
    this.names.add(base)
    this.nodes.push({ name: base, op, inputs, attrs })
    return base
  }

  get size(): number {
    return this.nodes.length
  }

  placeholder(name: string, dtype: DType, shape: Shape): string {
    return this.op('Placeholder', [], { dtype: { type: dtype }, shape: { shape } }, name)
  }

  scalar(value: number, name?: string): string {
    return this.op(
      'Const',
      [],
      { dtype: { type: DT_FLOAT }, value: { floats: { shape: [], values: [value] } } },
      name ?? 'const'
    )
  }

  ints(values: number[], name?: string): string {
    return this.op(
      'Const',
      [],
      { dtype: { type: DT_INT32 }, value: { ints: { shape: [values.length], values } } },
      name ?? 'ints'
    )
  }

  /** saved_model.pb bytes: one MetaGraph tagged `serve` with these signatures. */
  toSavedModel(signatures: Record<string, Signature>): Uint8Array {
    const p = loadProtos()
    const graph = make(p.GraphDef)
    for (const node of this.nodes) {
      const n = make(p.NodeDef)
      n.setName(node.name)
      n.setOp(node.op)
      for (const input of node.inputs) n.addInput(input)
      const attrs = n.getAttrMap() as { set(key: string, value: unknown): void }
      for (const [key, value] of Object.entries(node.attrs)) attrs.set(key, attrProto(p, value))
      graph.addNode(n)
    }
    const versions = make(p.VersionDef)
    // GraphDef version 1087 is TensorFlow 2.9's (the runtime tfjs-node 4.22 ships).
    versions.setProducer(1087)
    graph.setVersions(versions)
    const meta = make(p.MetaGraphDef)
    const info = make(p.MetaGraphDef.MetaInfoDef)
    info.addTags('serve')
    meta.setMetaInfoDef(info)
    meta.setGraphDef(graph)
    const defs = meta.getSignatureDefMap() as { set(key: string, value: unknown): void }
    for (const [key, signature] of Object.entries(signatures)) {
      const def = make(p.SignatureDef)
      for (const [side, specs] of [
        ['getInputsMap', signature.inputs],
        ['getOutputsMap', signature.outputs]
      ] as const) {
        const map = def[side]() as { set(key: string, value: unknown): void }
        for (const [specName, spec] of Object.entries(specs)) {
          const info = make(p.TensorInfo)
          info.setName(spec.tensor.includes(':') ? spec.tensor : `${spec.tensor}:0`)
          info.setDtype(spec.dtype)
          info.setTensorShape(shapeProto(p, spec.shape))
          map.set(specName, info)
        }
      }
      def.setMethodName('tensorflow/serving/predict')
      defs.set(key, def)
    }
    const model = make(p.SavedModel)
    model.setSavedModelSchemaVersion(1)
    model.addMetaGraphs(meta)
    return model.serializeBinary()
  }
}
