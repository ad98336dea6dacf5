// Deep candidates seed libtorch's process-wide generator, and the command-line tests use both cores:
// the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
