"""A differentiable all-gather of rows across processes."""
import torch
import torch.distributed as dist
from mmengine.dist import get_world_size


class _GatherRows(torch.autograd.Function):
    """All-gather rows from every process, keeping the gradient.

    Every process computes the same loss from the gathered batch, so the
    gradient of a local row is the sum over processes of the gradients that
    reach its copy (an all-reduce of the full gradient, then the local slice).
    DistributedDataParallel then averages parameter gradients over the
    ``N`` processes, which gives exactly the gradient of the one global loss.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        world_size = dist.get_world_size()
        ctx.rank, ctx.rows = dist.get_rank(), x.shape[0]
        gathered = [torch.empty_like(x) for _ in range(world_size)]
        dist.all_gather(gathered, x.contiguous())
        return torch.cat(gathered, dim=0)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        grad = grad.contiguous()
        dist.all_reduce(grad)
        start = ctx.rank * ctx.rows
        return grad[start:start + ctx.rows]


def gather_rows(x: torch.Tensor) -> torch.Tensor:
    """Concatenate ``x`` over all processes along dim 0 (differentiable).

    Args:
        x (torch.Tensor): This process's rows, shape ``(b, ...)``; every
            process must pass the same shape.

    Returns:
        torch.Tensor: Shape ``(N * b, ...)``, rank 0's rows first; ``x``
        itself outside a distributed run of more than one process.
    """
    if not (dist.is_available() and dist.is_initialized()) or \
            get_world_size() == 1:
        return x
    return _GatherRows.apply(x)
