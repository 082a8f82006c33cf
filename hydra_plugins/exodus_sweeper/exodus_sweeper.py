"""exodus's sweeper: Hydra's basic sweeper (grid of overrides) that resumes fast and shows one progress line.

- Jobs whose folder is already done with the same inputs (sim/sweeper.py: a resume key written by the job)
  are not composed or launched: resuming a finished 200-run sweep takes seconds, not minutes.
- Before launching, it composes a few jobs that use every swept value at least once (not every job), so a bad
  value still stops the sweep before any work.
- While the launcher runs, one tqdm line counts finished runs of N with the time left (`progress`: null = on a
  terminal only, true, false).
Hydra finds plugins only under the `hydra_plugins` namespace; the logic lives in `sim.cli.sweeper`. (No
`from __future__ import annotations`: Hydra's plugin scan runs this module outside sys.modules, where a
dataclass cannot resolve string annotations.)
"""

import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper  # the grid sweeper extended: only exported here
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

log = logging.getLogger(__name__)
OVERRIDE_DIRNAME = "${hydra.job.override_dirname}"


@dataclass
class ExodusSweeperConf:
    _target_: str = "hydra_plugins.exodus_sweeper.exodus_sweeper.ExodusSweeper"
    max_batch_size: Any = None  # jobs per launch (null: all at once)
    params: Any = None  # swept overrides set in a config file, as in Hydra's basic sweeper
    progress: Any = None  # the progress line: null on a terminal only, true always, false never
    fast_resume: bool = True  # false: compose and launch every job, each skipping runs already complete


ConfigStore.instance().store(group="hydra/sweeper", name="exodus", node=ExodusSweeperConf, provider="exodus")


def _say(message: str) -> None:
    print(f"[exodus] {message}", file=sys.stderr, flush=True)


class ExodusSweeper(BasicSweeper):
    def __init__(self, max_batch_size=None, params=None, progress=None, fast_resume: bool = True) -> None:
        # BasicSweeper.__init__'s own attributes, set here: it calls super(BasicSweeper, self), which fails when
        # Hydra's plugin scan has re-executed its module after this class was made
        self.overrides = None
        self.batch_index = 0
        self.max_batch_size = max_batch_size
        self.params = dict(params or {})
        self.hydra_context = None
        self.config = None
        self.launcher = None
        self.progress = progress
        self.fast_resume = fast_resume

    def _job_dirs(self, batch):
        """Each job's folder, computed from its overrides as Hydra will; None if it cannot be known beforehand."""
        from hydra._internal.config_loader_impl import get_overrides_dirname  # no public API names a job's folder

        from sim.cli.sweeper import MOVES_FOLDER, swept_keys

        hydra_cfg = self.config.hydra
        subdir = OmegaConf.to_container(hydra_cfg.sweep, resolve=False).get("subdir")
        if subdir != OVERRIDE_DIRNAME or swept_keys(batch) & set(MOVES_FOLDER):
            return None
        sweep_dir = Path(str(hydra_cfg.sweep.dir))
        naming = hydra_cfg.job.config.override_dirname
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        out = []
        for job in batch:
            name = get_overrides_dirname(
                overrides=parser.parse_overrides(list(job)),
                exclude_keys=list(naming.exclude_keys),
                item_sep=naming.item_sep,
                kv_sep=naming.kv_sep,
            )
            out.append(sweep_dir / name)
        return out

    def sweep(self, arguments) -> Any:
        from sim.cli import sweeper as sw

        params = self._parse_config() + list(arguments)
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        self.overrides = self.split_arguments(parser.parse_overrides(params), self.max_batch_size)
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        default_replicates = int(self.config.get("replicates", 1) or 1)
        dirs_searched = sw.config_dirs(self.config.hydra)

        returns, first_job, failed, tic = [], 0, 0, time.perf_counter()
        while not self.is_done():
            batch = list(self.get_job_batch())
            job_dirs = self._job_dirs(batch)
            todo = list(range(len(batch)))
            if self.fast_resume and job_dirs is not None:
                todo = [i for i in todo if not sw.is_done(job_dirs[i], sw.resume_key(batch[i], dirs_searched))]
            resumed = [i for i in range(len(batch)) if i not in set(todo)]
            sw.report_resumed(len(returns), resumed)  # the launching exodus counts these jobs as complete
            runs = [sw.job_replicates(batch[i], default_replicates) for i in todo]
            done_runs = sum(sw.job_replicates(j, default_replicates) for j in batch) - sum(runs)
            _say(
                f"sweep {sweep_dir}: {len(batch)} jobs; {len(batch) - len(todo)} already complete "
                f"({done_runs} runs), {len(todo)} to launch ({sum(runs)} runs)"
            )
            if not todo:
                continue
            launch = [batch[i] for i in todo]
            self.validate_batch_is_legal(sw.covering_jobs(launch))
            watched = [(job_dirs[i], r) for i, r in zip(todo, runs, strict=True)] if job_dirs else []
            progress = self.progress if job_dirs else False
            with sw.Progress(watched, progress):
                results = self.launcher.launch(launch, initial_job_idx=first_job)
            for r in results:
                _ = r.return_value  # raises if the job raised
            first_job += len(launch)
            returns.append(results)
            failed += sum(sw.failed_runs(job_dirs[i]) for i in todo) if job_dirs else 0
        note = f"; {failed} runs FAILED (the reason is in each one's FAILED file)" if failed else ""
        _say(f"sweep {sweep_dir}: done in {time.perf_counter() - tic:.1f} s{note}")
        return returns
