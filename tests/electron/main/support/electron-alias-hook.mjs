// Module hook: `import … from 'electron'` resolves to the fake, for main's bundle under Node.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') {
    return { url: new URL('./fake-electron.mjs', import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
