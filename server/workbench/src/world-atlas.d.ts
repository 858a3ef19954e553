// The bundled world outline: world-atlas's TopoJSON of Natural Earth's 1:110m countries.
declare module "world-atlas/countries-110m.json" {
  import type { GeometryCollection, Topology } from "topojson-specification";
  const countries: Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;
  export default countries;
}
