// The casefile journey (files, signers in order, send, link, reminder, sign, completed, the sealed
// PDFs downloaded) once more, with the demo's simulator numbering signer statuses the way Penneo's
// Postman description does (0 sent … 3 signed, 4 rejected) instead of the SDKs' way: the app
// learns the numbering from a completed casefile and must read every step right under both.
process.env.E2E_SIGNER_SCHEME = 'postman';
await import('./casefiles-journey.test.mjs');
