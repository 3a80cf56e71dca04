// The worker's table of resident tensors. Each belongs to one owner (an open graph session)
// and one graph set (a plugin's graphs); it is used only by both, freed when its slot gets
// a new value, when the owner is released, or when a session of its set unloads.
import type ort from 'onnxruntime-node';
import type { ElementType } from '../plugin/graph-contract.ts';
import type { ResidentInfo } from './resident.ts';
import { WorkerFailure } from './worker-failure.ts';
import type { Ownership, WorkerStats } from './worker-protocol.ts';

interface Resident extends Ownership {
  readonly id: string;
  readonly slot: string;
  readonly tensor: ort.Tensor;
  readonly bytes: number;
}

const bytesOf = (tensor: ort.Tensor) => (tensor.data as ArrayBufferView).byteLength ?? 0;

export function makeResidentTable(prefix: string) {
  const byId = new Map<string, Resident>();
  const byOwner = new Map<string, Map<string, Resident>>();
  let next = 0;
  let bytes = 0;

  const free = (resident: Resident) => {
    byId.delete(resident.id);
    bytes -= resident.bytes;
    const slots = byOwner.get(resident.owner);
    if (slots?.get(resident.slot) === resident) slots.delete(resident.slot);
    if (slots?.size === 0) byOwner.delete(resident.owner);
  };

  return {
    /** The tensor behind an id, if `who` may use it. */
    resolve(id: string, who: Ownership, what: string): ort.Tensor {
      const resident = byId.get(id);
      if (!resident) throw new WorkerFailure('stale', `${what}: resident tensor ${id} is gone (freed, or its session was unloaded)`);
      if (resident.owner !== who.owner) throw new WorkerFailure('foreign', `${what}: resident tensor ${id} belongs to another graph session`);
      if (resident.set !== who.set) throw new WorkerFailure('foreign', `${what}: resident tensor ${id} was made by the graphs of '${resident.set}', not '${who.set}'`);
      return resident.tensor;
    },
    /** The tensor an owner keeps in a slot. */
    slot(who: Ownership, slot: string): ort.Tensor {
      const resident = byOwner.get(who.owner)?.get(slot);
      if (!resident) throw new WorkerFailure('stale', `no resident tensor in slot '${slot}' of this graph session`);
      return resident.tensor;
    },
    store(who: Ownership, slot: string, tensor: ort.Tensor): ResidentInfo {
      let slots = byOwner.get(who.owner);
      if (!slots) byOwner.set(who.owner, (slots = new Map()));
      const previous = slots.get(slot);
      if (previous) free(previous);
      const resident: Resident = { ...who, id: `${prefix}${next++}`, slot, tensor, bytes: bytesOf(tensor) };
      slots.set(slot, resident);
      byId.set(resident.id, resident);
      bytes += resident.bytes;
      return { resident: resident.id, slot, type: tensor.type as ElementType, dims: [...tensor.dims], bytes: resident.bytes };
    },
    release(owner: string): number {
      const slots = [...(byOwner.get(owner)?.values() ?? [])];
      for (const resident of slots) free(resident);
      return slots.length;
    },
    /** A session of the set unloaded: what its graphs made is stale now. */
    dropSet(set: string) {
      for (const resident of [...byId.values()]) if (resident.set === set) free(resident);
    },
    stats: (): Omit<WorkerStats, 'loops'> => ({ residents: byId.size, residentBytes: bytes, owners: byOwner.size }),
  };
}

export type ResidentTable = ReturnType<typeof makeResidentTable>;
