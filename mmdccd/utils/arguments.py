"""Constructor arguments checked by name, so that a typo in a config
(``model.thetta``) names the valid arguments and the closest one instead of
Python's bare ``unexpected keyword argument``."""
import difflib
import functools
import inspect
from typing import Iterable, List, Type, TypeVar

T = TypeVar('T', bound=type)


def accepted_arguments(cls: type) -> List[str]:
    """The keyword arguments ``cls(...)`` accepts: the named parameters of
    each ``__init__`` along the method resolution order, for as long as an
    ``__init__`` passes ``**kwargs`` on to its parent.

    Args:
        cls (type): The class.

    Returns:
        list[str]: The names, sorted.
    """
    names = set()
    for klass in cls.__mro__:
        if '__init__' not in vars(klass) or klass is object:
            continue
        try:
            params = inspect.signature(vars(klass)['__init__']).parameters
        except (TypeError, ValueError):  # a builtin's __init__
            break
        names |= {
            name
            for i, (name, p) in enumerate(params.items())
            if i > 0 and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            break
    return sorted(names)


def check_arguments(cls: type, given: Iterable[str]) -> None:
    """Raise a TypeError naming each argument in ``given`` that ``cls``
    does not accept, its closest valid name and all valid names.

    Args:
        cls (type): The class being built.
        given (Iterable[str]): The keyword arguments given.

    Raises:
        TypeError: If an argument is unknown.
    """
    valid = accepted_arguments(cls)
    unknown = [name for name in given if name not in valid]
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1)
        hints.append(f'{name!r}' +
                     (f' (did you mean {close[0]!r}?)' if close else ''))
    raise TypeError(
        f'{cls.__name__} got unknown argument(s) {", ".join(hints)}; its '
        f'arguments are {", ".join(valid)}. Rename or remove '
        f'{"it" if len(unknown) == 1 else "them"} in the config.')


def strict_arguments(cls: T) -> T:
    """Class decorator: ``cls(**kwargs)`` checks ``kwargs`` with
    :func:`check_arguments` (against the class actually built, so
    subclasses' arguments count) before running ``__init__``."""
    init = cls.__init__

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        check_arguments(type(self), kwargs)
        init(self, *args, **kwargs)

    cls.__init__ = __init__
    return cls
