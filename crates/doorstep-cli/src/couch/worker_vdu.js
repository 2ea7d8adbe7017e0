function (newDoc, oldDoc, userCtx) {
  // validate_doc_update of a worker's database (`doorstep setup-server` installs it as
  // `_design/doorstep`). The relay writes as a server admin; everyone else (the worker, an
  // office member) may only add their own step documents, once.
  if (oldDoc && !oldDoc._deleted && (oldDoc.signature !== undefined || oldDoc.hash !== undefined)) {
    throw({forbidden: 'signed record: it is never changed or deleted'});
  }
  if ((userCtx.roles || []).indexOf('_admin') !== -1) return;
  var id = newDoc._id || '';
  if (id.indexOf('step:') !== 0) {
    throw({forbidden: id + ' is written by the office (the relay); a worker writes only step documents'});
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
