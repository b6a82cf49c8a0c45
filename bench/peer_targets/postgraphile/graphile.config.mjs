// The bench's presets, and the relations of Rastro's composite foreign keys (session_id, domain_id) and
// (lead_id, domain_id), which no index leads with: PgIndexBehaviorsPlugin would hide them.
const pgl = `${process.env.PGL_DIR ?? "/tmp/pgl"}/node_modules`;
const { PostGraphileAmberPreset } = await import(`${pgl}/postgraphile/dist/presets/amber.js`);
const { PgSimplifyInflectionPreset } = await import(`${pgl}/@graphile/simplify-inflection/dist/index.js`);

export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
};
