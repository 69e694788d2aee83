/** The weight-file formats we read and write (a dependency-free module, so webviews can use the type). */
export type FormatName = 'safetensors' | 'npy' | 'npz' | 'pth';
