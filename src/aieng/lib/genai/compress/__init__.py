"""Model compression after training: int8 quantization (`quantize`), pruning (`prune`), knowledge distillation
(`distill`). Each module is the reference solution of one exercise; import the one you need."""
