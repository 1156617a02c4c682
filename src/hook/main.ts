// Hook entry point; see the git gate.
process.exitCode = 0;
