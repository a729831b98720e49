// The black-box part of `npm run bench -- defend` (filled in below).
export async function runBlackBox() {}
