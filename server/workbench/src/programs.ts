// The WebGL programs the canvas draws with: sigma's own, drawn without instancing.
//
// Sigma draws each entity and relation as an instance of a few vertices (a triangle for a
// disc, a quad and a triangle for an arrow), twice a frame (the picture and the picking
// layer). Chromium without a GPU runs WebGL on SwiftShader, where an instanced draw costs
// about 15 µs per instance whatever its size, hidden ones included: in one page, six
// passes of 2,000 instanced quads took 150–220 ms a frame, and the same quads drawn from
// one vertex buffer 40–47 ms (20,000: 2.1 s against 0.23 s). So the canvas draws sigma's
// programs flat: the same shaders and attributes, each instance's values written once per
// vertex beside the vertex's constants. A GPU draws either as fast; the picture is the same.
import type { Attributes } from "graphology-types";
import type { EdgeProgramType, NodeProgramType } from "sigma/rendering";
import { createEdgeCompoundProgram, EdgeArrowHeadProgram, EdgeClampedProgram, getAttributesItemsCount, NodeCircleProgram } from "sigma/rendering";
import type { EdgeAttributes, NodeAttributes } from "./state";

interface AttributeSpec {
  name: string;
  size: number;
  type: number;
  normalized?: boolean;
}

interface InstancedDefinition {
  VERTICES: number;
  ATTRIBUTES: AttributeSpec[];
  CONSTANT_ATTRIBUTES: AttributeSpec[];
  CONSTANT_DATA: number[][];
}

/** What flat needs of one of sigma's instanced program classes. */
interface InstancedProgram {
  array: Float32Array;
  getDefinition(): InstancedDefinition;
  processVisibleItem(index: number, start: number, ...data: unknown[]): void;
}

/**
 * The program drawing what instanced draws, without instancing: its definition lists the
 * constant attributes among the others (so sigma allocates and binds one buffer of
 * VERTICES vertices an item), and each item's values are repeated for every vertex,
 * followed by that vertex's constants.
 */
function flat<P>(instanced: unknown): P {
  const Instanced = instanced as unknown as new (...args: unknown[]) => InstancedProgram;
  const definition = Instanced.prototype.getDefinition.call(null) as InstancedDefinition;
  const perItem = getAttributesItemsCount(definition.ATTRIBUTES);
  const perVertex = perItem + getAttributesItemsCount(definition.CONSTANT_ATTRIBUTES);
  class Flat extends Instanced {
    getDefinition() {
      const { CONSTANT_ATTRIBUTES, CONSTANT_DATA, ...rest } = super.getDefinition();
      return { ...rest, ATTRIBUTES: [...rest.ATTRIBUTES, ...CONSTANT_ATTRIBUTES] } as InstancedDefinition;
    }

    processVisibleItem(index: number, start: number, ...data: unknown[]): void {
      super.processVisibleItem(index, start, ...data);
      // The last vertex first: the item's values at start are copied before the
      // first vertex's constants overwrite what follows them.
      for (let v = definition.VERTICES - 1; v >= 0; v--) {
        const at = start + v * perVertex;
        if (v > 0) this.array.copyWithin(at, start, start + perItem);
        this.array.set(definition.CONSTANT_DATA[v], at + perItem);
      }
    }
  }
  return Flat as unknown as P;
}

type EntityProgram = NodeProgramType<NodeAttributes, EdgeAttributes, Attributes>;
type RelationProgram = EdgeProgramType<NodeAttributes, EdgeAttributes, Attributes>;

/** Entities: sigma's disc. */
export const nodeProgram = flat<EntityProgram>(NodeCircleProgram);

/** Relations: sigma's arrow, a clamped line and its head. */
export const edgeProgram = createEdgeCompoundProgram([flat<RelationProgram>(EdgeClampedProgram), flat<RelationProgram>(EdgeArrowHeadProgram)]);
