#!/bin/sh
# Lays the content ConfigMaps out as content/ again, for the pods' init container
# (deploy/k8s/base): each ConfigMap is mounted at SOURCE/<its name>, and "content" goes to
# TARGET, "content-<folder>" to TARGET/<folder> with "-" read as "/" (content-places-it:
# places/it). See content/kustomization.yaml.
#
#   deploy/copy-content.sh /content-src /app/content
#
# Why a copy rather than the ConfigMaps mounted in place: a mounted ConfigMap holds hidden
# "..data" folders beside its files, which the places loader's "*/*.yml" would read as
# more places (two files with one id); and a ConfigMap volume cannot hold another mounted
# inside it. New content means new ConfigMap names (kustomize's hash), so a new rollout:
# nothing changes under a running process.
set -eu
source_dir=${1:?usage: copy-content.sh SOURCE TARGET}
target=${2:?usage: copy-content.sh SOURCE TARGET}
copied=0
for mount in "$source_dir"/*/; do
  name=$(basename "$mount")
  case $name in
    content) folder=. ;;
    content-*) folder=$(printf '%s' "${name#content-}" | tr - /) ;;
    *) echo "copy-content: $mount is not a content ConfigMap; skipped" >&2; continue ;;
  esac
  mkdir -p "$target/$folder"
  for file in "$mount"*.yml; do  # the shell's * leaves out ..data and its kin
    [ -e "$file" ] || continue
    cp -L "$file" "$target/$folder/"
    copied=$((copied + 1))
  done
done
if [ "$copied" -eq 0 ]; then
  echo "copy-content: no .yml file under $source_dir" >&2
  exit 1
fi
echo "copy-content: $copied files into $target"
