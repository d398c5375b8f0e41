// Ships the .proto files inside dist so a deployed package loads them without the repo around it.
const fs = require('fs');
const path = require('path');
fs.cpSync(path.join(__dirname, '../../../proto'), path.join(__dirname, '../dist/proto'), { recursive: true });
