# Appended by repo2docker to the learners' image built from binder/ (see workshop/README.md):
#   jupyter-repo2docker --no-run --user-name jovyan --image-name IMAGE:TAG \
#       --appendix "$(cat workshop/image-appendix.Dockerfile)" .
# 1. The hub's single-user server and nbgitpuller, pinned in workshop/requirements.txt (repo2docker has
#    already copied the repository to ${REPO_DIR}).
RUN python -m pip install --no-cache-dir -r ${REPO_DIR}/workshop/requirements.txt
# 2. The course folder nbgitpuller pulls into the learner's home comes first on the import path, so a
#    fix to course_utils that the instructor pushes reaches the learner's kernel at its next restart
#    (the copy postBuild installed into the image is only a fallback before the first pull).
ENV PYTHONPATH=/home/jovyan/activation-functions
# 3. The course's JupyterLab settings (binder/overrides.json: no news pop-up, no widget state saved in
#    notebooks). binder/postBuild has already installed them, as on Binder; this makes sure the hub's
#    image has them even if postBuild changes (it writes nothing when they are already there).
RUN python ${REPO_DIR}/workshop/install_overrides.py
