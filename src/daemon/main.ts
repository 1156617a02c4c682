// specflowd entry point; the daemon is built in its own module tree.
process.stderr.write('specflowd: not built yet\n');
process.exitCode = 2;
