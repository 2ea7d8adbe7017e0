function (newDoc, oldDoc, userCtx) {
  // validate_doc_update of a worker's database (`doorstep setup-server` installs it as
  // `_design/doorstep`). The relay writes as a server admin; everyone else (the worker, an
  // office member) may only add their own step documents and signed records, once.
  if (oldDoc && !oldDoc._deleted && (oldDoc.signature !== undefined || oldDoc.hash !== undefined)) {
    throw({forbidden: 'signed record: it is never changed or deleted'});
  }
  if ((userCtx.roles || []).indexOf('_admin') !== -1) return;
  var id = newDoc._id || '';
  if (id.indexOf('record:') === 0) {
    // A signed service record (record:<job>:<device>:<seq>, chained per device): added once.
    if (newDoc._deleted || oldDoc) {
      throw({forbidden: 'signed record: it is never changed or deleted'});
    }
    var r = newDoc.record || {};
    if (typeof r.job !== 'string' || typeof r.device_id !== 'string' || typeof newDoc.seq !== 'number' ||
        id !== 'record:' + r.job + ':' + r.device_id + ':' + newDoc.seq) {
      throw({forbidden: 'a signed record id names its job, device and number: record:<job>:<device>:<seq>'});
    }
    if (typeof newDoc.hash !== 'string' || !/^[0-9a-f]{64}$/.test(newDoc.hash)) {
      throw({forbidden: 'a signed record carries its SHA-256 hash'});
    }
    return;
  }
  if (id.indexOf('step:') !== 0) {
    throw({forbidden: id + ' is written by the office (the relay); a worker writes only step and signed record documents'});
  }
  if (newDoc._deleted || oldDoc) {
    throw({forbidden: 'a step is written once: a correction is a new step naming the one it corrects'});
  }
  if (newDoc.by !== userCtx.name) {
    throw({forbidden: 'a step is recorded by its own worker: by must be ' + userCtx.name});
  }
  if (typeof newDoc.job !== 'string' || id.indexOf('step:' + newDoc.job + ':') !== 0) {
    throw({forbidden: 'a step id names its job: step:<job>:<id>'});
  }
}
