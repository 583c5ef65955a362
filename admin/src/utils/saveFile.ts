/** Hands the browser a file to save: a Blob as it came, or text as a file of `type`. */
export const saveFile = (name: string, content: Blob | string, type = 'text/csv;charset=utf-8') => {
  const file = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // Revoked once the browser has taken the file: at once would cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
