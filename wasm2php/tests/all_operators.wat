;; Every operator the translation supports, each in reachable code, in
;; the order of the operator table (src/emit/operators.rs): a unit test
;; there checks that this module uses exactly the operators the table lists
;; and that each is translated by the emitter the table names.
(module
  (memory 1 2)
  (data $d "abc")
  (global $g (mut i32) (i32.const 0))
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $id)
  (func $id (param i32) (result i32) local.get 0)
  (func (export "control") (param i32) (result i32)
    block
      loop
        local.get 0
        br_if 1
        local.get 0
        br_table 0 1
      end
    end
    block
      br 0
    end
    local.get 0
    if
      unreachable
    else
      nop
    end
    local.get 0
    return)
  (func (export "variable") (param i32) (result i32)
    local.get 0 local.set 0
    local.get 0 local.tee 0 drop
    global.get $g global.set $g
    local.get 0 call $id
    i32.const 0 call_indirect (type $t)
    i32.const 1 local.get 0 select
    i32.const 2 local.get 0 select (result i32))
  (func (export "memory") (param i32)
    local.get 0 i32.load drop
    local.get 0 i64.load drop
    local.get 0 f32.load drop
    local.get 0 f64.load drop
    local.get 0 i32.load8_s drop
    local.get 0 i32.load8_u drop
    local.get 0 i32.load16_s drop
    local.get 0 i32.load16_u drop
    local.get 0 i64.load8_s drop
    local.get 0 i64.load8_u drop
    local.get 0 i64.load16_s drop
    local.get 0 i64.load16_u drop
    local.get 0 i64.load32_s drop
    local.get 0 i64.load32_u drop
    local.get 0 i32.const 0 i32.store
    local.get 0 i64.const 0 i64.store
    local.get 0 f32.const 0 f32.store
    local.get 0 f64.const 0 f64.store
    local.get 0 i32.const 0 i32.store8
    local.get 0 i32.const 0 i32.store16
    local.get 0 i64.const 0 i64.store8
    local.get 0 i64.const 0 i64.store16
    local.get 0 i64.const 0 i64.store32
    memory.size drop
    i32.const 0 memory.grow drop
    local.get 0 local.get 0 local.get 0 memory.copy
    local.get 0 local.get 0 local.get 0 memory.fill
    local.get 0 local.get 0 local.get 0 memory.init $d
    data.drop $d)
  (func (export "numeric") (param i32 i64 f32 f64)
    i32.const 1 drop
    i64.const 1 drop
    f32.const 1 drop
    f64.const 1 drop
    local.get 0 i32.eqz drop
    local.get 0 local.get 0 i32.eq drop
    local.get 0 local.get 0 i32.ne drop
    local.get 0 local.get 0 i32.lt_s drop
    local.get 0 local.get 0 i32.lt_u drop
    local.get 0 local.get 0 i32.gt_s drop
    local.get 0 local.get 0 i32.gt_u drop
    local.get 0 local.get 0 i32.le_s drop
    local.get 0 local.get 0 i32.le_u drop
    local.get 0 local.get 0 i32.ge_s drop
    local.get 0 local.get 0 i32.ge_u drop
    local.get 1 i64.eqz drop
    local.get 1 local.get 1 i64.eq drop
    local.get 1 local.get 1 i64.ne drop
    local.get 1 local.get 1 i64.lt_s drop
    local.get 1 local.get 1 i64.lt_u drop
    local.get 1 local.get 1 i64.gt_s drop
    local.get 1 local.get 1 i64.gt_u drop
    local.get 1 local.get 1 i64.le_s drop
    local.get 1 local.get 1 i64.le_u drop
    local.get 1 local.get 1 i64.ge_s drop
    local.get 1 local.get 1 i64.ge_u drop
    local.get 2 local.get 2 f32.eq drop
    local.get 2 local.get 2 f32.ne drop
    local.get 2 local.get 2 f32.lt drop
    local.get 2 local.get 2 f32.gt drop
    local.get 2 local.get 2 f32.le drop
    local.get 2 local.get 2 f32.ge drop
    local.get 3 local.get 3 f64.eq drop
    local.get 3 local.get 3 f64.ne drop
    local.get 3 local.get 3 f64.lt drop
    local.get 3 local.get 3 f64.gt drop
    local.get 3 local.get 3 f64.le drop
    local.get 3 local.get 3 f64.ge drop
    local.get 0 i32.clz drop
    local.get 0 i32.ctz drop
    local.get 0 i32.popcnt drop
    local.get 0 local.get 0 i32.add drop
    local.get 0 local.get 0 i32.sub drop
    local.get 0 local.get 0 i32.mul drop
    local.get 0 local.get 0 i32.div_s drop
    local.get 0 local.get 0 i32.div_u drop
    local.get 0 local.get 0 i32.rem_s drop
    local.get 0 local.get 0 i32.rem_u drop
    local.get 0 local.get 0 i32.and drop
    local.get 0 local.get 0 i32.or drop
    local.get 0 local.get 0 i32.xor drop
    local.get 0 local.get 0 i32.shl drop
    local.get 0 local.get 0 i32.shr_s drop
    local.get 0 local.get 0 i32.shr_u drop
    local.get 0 local.get 0 i32.rotl drop
    local.get 0 local.get 0 i32.rotr drop
    local.get 1 i64.clz drop
    local.get 1 i64.ctz drop
    local.get 1 i64.popcnt drop
    local.get 1 local.get 1 i64.add drop
    local.get 1 local.get 1 i64.sub drop
    local.get 1 local.get 1 i64.mul drop
    local.get 1 local.get 1 i64.div_s drop
    local.get 1 local.get 1 i64.div_u drop
    local.get 1 local.get 1 i64.rem_s drop
    local.get 1 local.get 1 i64.rem_u drop
    local.get 1 local.get 1 i64.and drop
    local.get 1 local.get 1 i64.or drop
    local.get 1 local.get 1 i64.xor drop
    local.get 1 local.get 1 i64.shl drop
    local.get 1 local.get 1 i64.shr_s drop
    local.get 1 local.get 1 i64.shr_u drop
    local.get 1 local.get 1 i64.rotl drop
    local.get 1 local.get 1 i64.rotr drop
    local.get 2 f32.abs drop
    local.get 2 f32.neg drop
    local.get 2 f32.ceil drop
    local.get 2 f32.floor drop
    local.get 2 f32.trunc drop
    local.get 2 f32.nearest drop
    local.get 2 f32.sqrt drop
    local.get 2 local.get 2 f32.add drop
    local.get 2 local.get 2 f32.sub drop
    local.get 2 local.get 2 f32.mul drop
    local.get 2 local.get 2 f32.div drop
    local.get 2 local.get 2 f32.min drop
    local.get 2 local.get 2 f32.max drop
    local.get 2 local.get 2 f32.copysign drop
    local.get 3 f64.abs drop
    local.get 3 f64.neg drop
    local.get 3 f64.ceil drop
    local.get 3 f64.floor drop
    local.get 3 f64.trunc drop
    local.get 3 f64.nearest drop
    local.get 3 f64.sqrt drop
    local.get 3 local.get 3 f64.add drop
    local.get 3 local.get 3 f64.sub drop
    local.get 3 local.get 3 f64.mul drop
    local.get 3 local.get 3 f64.div drop
    local.get 3 local.get 3 f64.min drop
    local.get 3 local.get 3 f64.max drop
    local.get 3 local.get 3 f64.copysign drop
    local.get 1 i32.wrap_i64 drop
    local.get 2 i32.trunc_f32_s drop
    local.get 2 i32.trunc_f32_u drop
    local.get 3 i32.trunc_f64_s drop
    local.get 3 i32.trunc_f64_u drop
    local.get 0 i64.extend_i32_s drop
    local.get 0 i64.extend_i32_u drop
    local.get 2 i64.trunc_f32_s drop
    local.get 2 i64.trunc_f32_u drop
    local.get 3 i64.trunc_f64_s drop
    local.get 3 i64.trunc_f64_u drop
    local.get 0 f32.convert_i32_s drop
    local.get 0 f32.convert_i32_u drop
    local.get 1 f32.convert_i64_s drop
    local.get 1 f32.convert_i64_u drop
    local.get 3 f32.demote_f64 drop
    local.get 0 f64.convert_i32_s drop
    local.get 0 f64.convert_i32_u drop
    local.get 1 f64.convert_i64_s drop
    local.get 1 f64.convert_i64_u drop
    local.get 2 f64.promote_f32 drop
    local.get 2 i32.reinterpret_f32 drop
    local.get 3 i64.reinterpret_f64 drop
    local.get 0 f32.reinterpret_i32 drop
    local.get 1 f64.reinterpret_i64 drop
    local.get 0 i32.extend8_s drop
    local.get 0 i32.extend16_s drop
    local.get 1 i64.extend8_s drop
    local.get 1 i64.extend16_s drop
    local.get 1 i64.extend32_s drop
    local.get 2 i32.trunc_sat_f32_s drop
    local.get 2 i32.trunc_sat_f32_u drop
    local.get 3 i32.trunc_sat_f64_s drop
    local.get 3 i32.trunc_sat_f64_u drop
    local.get 2 i64.trunc_sat_f32_s drop
    local.get 2 i64.trunc_sat_f32_u drop
    local.get 3 i64.trunc_sat_f64_s drop
    local.get 3 i64.trunc_sat_f64_u drop)
)
