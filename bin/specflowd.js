#!/usr/bin/env node
import '../dist/specflowd.js';
