/**
 * A small builder for ONNX graphs, used by the scripts that build Cohort's shipped models
 * (models/<name>/build.ts) so each model.onnx is reproducible from source. Build-time only.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

type Attribute = number | number[] | string;
type Dim = number | string;

export const OPSET = 17;
export const IR_VERSION = 8;

export class OnnxGraph {
  private nodes: Onnx.INodeProto[] = [];
  private initializers: Onnx.ITensorProto[] = [];
  private count = 0;

  /** A node of `op`; returns the name of its (first) output. */
  op(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, name?: string): string {
    const output = name ?? `${op.toLowerCase()}_${++this.count}`;
    this.nodes.push({ opType: op, input: inputs, output: [output], name: `${output}_node`, attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)) });
    return output;
  }

  /** A float32 constant (scalar when `dims` is empty). */
  floats(name: string, values: number[], dims: number[] = []): string {
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, floatData: values });
    return name;
  }

  ints(name: string, values: number[], dims: number[] = [values.length]): string {
    this.initializers.push({ name, dataType: DataType.INT64, dims, int64Data: values });
    return name;
  }

  /** The serialized model: one float32 input and one float32 output of the given shapes. */
  toBytes({ input, output, doc, metadata }: { input: { name: string; shape: Dim[] }; output: { name: string; shape: Dim[] }; doc: string; metadata: Record<string, string> }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'cohort-models',
      docString: doc,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: 'main',
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(input.name, input.shape)],
        output: [valueInfo(output.name, output.shape)],
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: Dim[]): Onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, value: Attribute): Onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
}
