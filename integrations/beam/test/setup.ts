// Beam's direct runner prints "Processing <id> for <bundle>" through console.debug for every
// bundle; the tests' output keeps only what the tests say.
console.debug = () => {};
