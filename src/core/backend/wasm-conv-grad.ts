/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so the CNN could not train on wasm ("Kernel
 * 'Conv2DBackpropFilter' not registered"). A 2-D convolution is a 3-D one of depth 1, and wasm does have
 * Conv3DBackpropFilterV2: this kernel relabels the shapes (same data, no copy) and runs that one.
 */
import * as tf from '@tensorflow/tfjs'

type Conv2DFilterGradAttrs = {
  strides: number | [number, number]
  pad: unknown
  dataFormat?: string
  filterShape: [number, number, number, number]
}

export function registerWasmConv2DFilterGrad(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')
  if (!conv3d) return
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
      const { strides, pad, dataFormat, filterShape } = attrs as unknown as Conv2DFilterGradAttrs
      const [strideH, strideW] = typeof strides === 'number' ? [strides, strides] : strides
      // Measured against the cpu backend: right for stride 1, wrong for stride 2, so only stride 1 is taken.
      if (
        (dataFormat ?? 'NHWC') !== 'NHWC' ||
        (pad !== 'valid' && pad !== 'same') ||
        strideH !== 1 ||
        strideW !== 1
      )
        throw new Error(
          'wasm: Conv2DBackpropFilter supports NHWC, valid or same padding and stride 1 only (the CNN uses these)'
        )
      const [n, h, w, c] = x.shape
      const [, outH, outW, outC] = dy.shape
      const result = conv3d.kernelFunc({
        inputs: { x: { ...x, shape: [n, 1, h, w, c] }, dy: { ...dy, shape: [n, 1, outH, outW, outC] } },
        backend,
        attrs: { strides: [1, strideH, strideW], pad, filterShape: [1, ...filterShape] }
      }) as tf.TensorInfo
      return { ...result, shape: filterShape }
    }
  })
}
