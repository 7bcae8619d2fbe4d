/**
 * Building one ONNX graph: typed inputs and outputs, constant tensors (initializers), nodes
 * with typed attributes, fresh value names; `encode` writes the ModelProto bytes.
 */
import { ParamError } from '../../core/errors.js';
import { AT, DT, ModelProto } from './proto.js';

export type ElemType = 'float' | 'double' | 'int64' | 'string';
const ELEM: Record<ElemType, number> = { float: DT.FLOAT, double: DT.DOUBLE, int64: DT.INT64, string: DT.STRING };

export type Dim = number | string;
type Attr = Record<string, unknown>;

const utf8 = new TextEncoder();

/** Attribute values of each ONNX attribute type. */
export const attr = {
  f: (name: string, v: number): Attr => ({ name, type: AT.FLOAT, f: v }),
  i: (name: string, v: number): Attr => ({ name, type: AT.INT, i: v }),
  s: (name: string, v: string): Attr => ({ name, type: AT.STRING, s: utf8.encode(v) }),
  floats: (name: string, v: ArrayLike<number>): Attr => ({ name, type: AT.FLOATS, floats: Array.from(v) }),
  ints: (name: string, v: ArrayLike<number>): Attr => ({ name, type: AT.INTS, ints: Array.from(v) }),
  strings: (name: string, v: readonly string[]): Attr => ({ name, type: AT.STRINGS, strings: v.map((x) => utf8.encode(x)) }),
};

export interface OnnxOptions {
  /** Name of the graph's input tensor. Default: 'X'. */
  inputName?: string;
  /** Input names of a ColumnTransformer's columns, in order (default: the names it was given, else x0, x1, …). */
  columnNames?: readonly string[];
  /** Version of the default ('ai.onnx') operator set, an integer in [13, 21]. Default: 17. */
  opset?: number;
  /**
   * Version of the 'ai.onnx.ml' operator set, 1 to 5. 3 (the default) is read by every runtime;
   * 5 brings TreeEnsemble, whose set-membership splits carry kiln's categorical splits (onnxruntime 1.20+).
   */
  targetOpset?: number;
}

export interface ResolvedOptions {
  inputName: string;
  opset: number;
  mlOpset: number;
}

export function resolveOptions(o: OnnxOptions = {}): ResolvedOptions {
  const inputName = o.inputName ?? 'X';
  const opset = o.opset ?? 17;
  const mlOpset = o.targetOpset ?? 3;
  if (typeof inputName !== 'string' || inputName === '') throw new ParamError(`toOnnx: inputName must be a non-empty string, got ${String(inputName)}`);
  if (!Number.isInteger(opset) || opset < 13 || opset > 21) throw new ParamError(`toOnnx: opset must be an integer in [13, 21], got ${String(opset)}`);
  if (!Number.isInteger(mlOpset) || mlOpset < 1 || mlOpset > 5) {
    throw new ParamError(`toOnnx: targetOpset (ai.onnx.ml) must be an integer in [1, 5], got ${String(mlOpset)}`);
  }
  return { inputName, opset, mlOpset };
}

function valueInfo(name: string, type: ElemType, dims: readonly Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export class GraphBuilder {
  readonly nodes: Record<string, unknown>[] = [];
  readonly initializers: Record<string, unknown>[] = [];
  readonly inputs: ReturnType<typeof valueInfo>[] = [];
  readonly outputs: ReturnType<typeof valueInfo>[] = [];
  private used = new Set<string>();
  private count = 0;

  constructor(readonly options: ResolvedOptions) {}

  /** A value name not used yet, from a prefix. */
  fresh(prefix: string): string {
    let name = prefix;
    while (this.used.has(name)) name = `${prefix}_${++this.count}`;
    this.used.add(name);
    return name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A constant tensor; its value name. */
  constant(prefix: string, type: ElemType, dims: readonly number[], values: ArrayLike<number> | readonly string[]): string {
    const name = this.fresh(prefix);
    const t: Record<string, unknown> = { name, dataType: ELEM[type], dims: [...dims] };
    if (type === 'float') t.floatData = Array.from(values as ArrayLike<number>);
    else if (type === 'double') t.doubleData = Array.from(values as ArrayLike<number>);
    else if (type === 'int64') t.int64Data = Array.from(values as ArrayLike<number>);
    else t.stringData = (values as readonly string[]).map((v) => utf8.encode(v));
    this.initializers.push(t);
    return name;
  }

  /** A node; outputs are fresh names from `outs` (prefixes) unless a name is already final (`=name`). */
  node(opType: string, inputs: readonly string[], outs: readonly string[], attributes: Attr[] = [], domain = ''): string[] {
    const outputs = outs.map((o) => (o.startsWith('=') ? (this.used.add(o.slice(1)), o.slice(1)) : this.fresh(o)));
    this.nodes.push({ input: [...inputs], output: outputs, name: this.fresh(`${opType}_node`), opType, domain, attribute: attributes });
    return outputs;
  }

  /** ai.onnx.ml node. */
  ml(opType: string, inputs: readonly string[], outs: readonly string[], attributes: Attr[] = []): string[] {
    return this.node(opType, inputs, outs, attributes, 'ai.onnx.ml');
  }

  encode(docString: string): Uint8Array {
    const model = {
      irVersion: this.options.mlOpset >= 5 || this.options.opset >= 21 ? 10 : this.options.opset >= 19 ? 9 : 8,
      opsetImport: [
        { domain: '', version: this.options.opset },
        { domain: 'ai.onnx.ml', version: this.options.mlOpset },
      ],
      producerName: 'kiln',
      producerVersion: '0.1.0',
      docString,
      graph: { name: 'kiln', node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}

/** The largest f32 not above v: a float input x (an f32) satisfies x <= v exactly when x <= this. */
export function f32AtMost(v: number): number {
  const f = Math.fround(v);
  if (f === Infinity && Number.isFinite(v)) return 3.4028234663852886e38;
  if (f <= v || !Number.isFinite(f)) return f;
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, f);
  const bits = buf.getInt32(0);
  // f > v: step one ulp towards −∞ (bits − 1 for positives, bits + 1 for negatives; +0 steps to −min).
  buf.setInt32(0, f > 0 ? bits - 1 : f === 0 ? 0x80000001 | 0 : bits + 1);
  return buf.getFloat32(0);
}
