/**
 * Typed arrays in SharedArrayBuffers, so one copy of a loaded table serves every engine worker
 * thread: posting a view of shared memory to another thread shares it instead of copying it.
 */

type TypedArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;
type TypedArrayClass<T extends TypedArray> = { new (buffer: SharedArrayBuffer | ArrayBuffer, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };

export function isShared(array: TypedArray): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** A new zero-filled array of `length` elements in shared memory. */
export function sharedArray<T extends TypedArray>(Kind: TypedArrayClass<T>, length: number): T {
  return new Kind(new SharedArrayBuffer(length * Kind.BYTES_PER_ELEMENT), 0, length);
}

/** The first `length` elements of `array` in shared memory (the array itself when it already is exactly that). */
export function sharedCopy<T extends TypedArray>(array: T, length = array.length): T {
  if (isShared(array) && array.length === length) return array;
  const copy = sharedArray(array.constructor as TypedArrayClass<T>, length);
  copy.set(array.subarray(0, length) as never);
  return copy;
}

/**
 * Strings stored once as UTF-8 bytes: string i is bytes[offsets[i] .. offsets[i+1]). A thread that
 * reads them decodes them into its own strings (JavaScript strings cannot live in shared memory).
 */
export interface SharedStrings {
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
}

export function encodeStrings(strings: readonly string[]): SharedStrings {
  let total = 0;
  for (const s of strings) total += Buffer.byteLength(s, 'utf8');
  const bytes = sharedArray(Uint8Array, total);
  const offsets = sharedArray(Uint32Array, strings.length + 1);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    offsets[i] = at;
    at += view.write(strings[i], at, 'utf8');
  }
  offsets[strings.length] = at;
  return { bytes, offsets };
}

export function stringCount(strings: SharedStrings): number {
  return strings.offsets.length - 1;
}

export function decodeStrings(strings: SharedStrings): string[] {
  const { bytes, offsets } = strings;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Array<string>(offsets.length - 1);
  for (let i = 0; i < out.length; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    let ascii = true;
    for (let k = start; k < end; k++) {
      if (view[k] > 127) {
        ascii = false;
        break;
      }
    }
    // latin1 makes a one-byte string directly; utf8 is only needed beyond ASCII.
    out[i] = view.toString(ascii ? 'latin1' : 'utf8', start, end);
  }
  return out;
}
