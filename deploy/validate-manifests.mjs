// Validates rendered Kubernetes manifests (YAML on stdin, e.g. `kubectl kustomize deploy/k8s`)
// against the Kubernetes OpenAPI schemas compiled into the npm package kubernetes-models: types,
// required fields, enums and formats. Like the API server's schemas, they do not reject unknown
// fields, so a misspelt optional field passes here. Run through deploy/validate.sh.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => resolve(text));
});

let failures = 0;
let count = 0;
for (const doc of parseAllDocuments(input)) {
  const object = doc.toJS();
  if (!object) continue;
  count++;
  const { apiVersion, kind } = object;
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  const label = `${kind} ${object.metadata?.name} (${apiVersion})`;
  try {
    const module = await import(`kubernetes-models/${group}/${kind}`);
    const Model = module[kind] ?? module.default;
    new Model(object).validate();
    console.log(`valid: ${label}`);
  } catch (error) {
    failures++;
    console.log(`INVALID: ${label}: ${error.message}`);
  }
}
console.log(`${count - failures} passed, ${failures} failed`);
process.exit(failures || count === 0 ? 1 : 0);

