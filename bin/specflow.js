#!/usr/bin/env node
import '../dist/specflow.js';
