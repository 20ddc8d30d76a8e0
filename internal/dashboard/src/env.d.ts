// Module declarations for assets esbuild turns into hashed URLs.
declare module '*.geojson' {
  const url: string;
  export default url;
}
